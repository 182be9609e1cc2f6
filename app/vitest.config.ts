import { defineProject } from "vitest/config";

// Unit tests beside the code (node, or jsdom where a file asks for it) and end-to-end tests in
// Debian's Chromium against a real JunoKit server; the e2e files build the app first if needed.
export default defineProject({
  test: {
    name: "app",
    include: ["src/**/*.test.{ts,tsx}", "e2e/**/*.e2e.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // A browser that comes back online reconnects with backoff: give polled assertions the same
    // patience as Playwright's own waits (15 s), not vitest's default of 1 s.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
