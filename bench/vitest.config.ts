import { defineProject } from "vitest/config";

// The bench harness's own smoke test (tiny sizes); the full bench is `npm run bench`.
export default defineProject({
  test: {
    name: "bench",
    include: ["*.test.ts"],
    environment: "node",
    // ≈ 12–17 s on a quiet machine; the margin is for a busy shared one.
    testTimeout: 60_000,
  },
});
