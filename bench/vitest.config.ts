import { defineProject } from "vitest/config";

// The bench harness's own smoke test (tiny sizes); the full bench is `npm run bench`.
export default defineProject({
  test: {
    name: "bench",
    include: ["*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
  },
});
