import { defineProject } from "vitest/config";

// Integration tests start real servers on port 0; they are slower than unit tests.
export default defineProject({
  test: {
    name: "collab-server",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
