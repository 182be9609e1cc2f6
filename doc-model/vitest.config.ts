import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "doc-model", include: ["src/**/*.test.ts"], environment: "node" } });
