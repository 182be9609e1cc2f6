import { defineProject } from "vitest/config";

// The bench harness's own smoke test (tiny sizes); the full bench is `npm run bench`.
export default defineProject({
  test: {
    name: "bench",
    include: ["*.test.ts"],
    environment: "node",
    // One tiny run of everything in beforeAll (its own 120 s limit): ≈ 30 s alone, ≈ 40 s on a
    // busy shared machine; it needs Redis and PostgreSQL on 127.0.0.1.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
