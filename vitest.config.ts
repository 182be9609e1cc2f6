import { defineConfig } from "vitest/config";

// One run of every suite. Projects mirror the layout; e2e drives Debian's Chromium.
export default defineConfig({
  test: {
    projects: ["doc-model", "collab-server", "app"],
    reporters: ["default", ["json", { outputFile: ".test-results/vitest.json" }]],
  },
});
