import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration (CFG-*)", () => {
  it("CFG-2 defaults match DESIGN.md §2, and an empty value means unset", () => {
    const c = parseConfig({ PORT: "", AI_BASE_URL: "" });
    expect(c).toMatchObject({ port: 8080, host: "127.0.0.1", logLevel: "info", redisUrl: undefined, databaseUrl: undefined });
    expect(c.ai).toMatchObject({ baseUrl: undefined, model: "deepseek/deepseek-r1" });
    expect(c.dataDir.endsWith("/data")).toBe(true);
  });

  it("CFG-1 names every bad variable at once", () => {
    const found = problems({ PORT: "99999", LOG_LEVEL: "loud", AI_BASE_URL: "not a url", JWT_SECRET: "short" });
    expect(found.map((p) => p.split(":")[0]).sort()).toEqual(["AI_BASE_URL", "JWT_SECRET", "LOG_LEVEL", "PORT"]);
  });

  it("CFG-3 several instances need a shared store and a shared secret", () => {
    const secret = "s".repeat(32);
    expect(problems({ REDIS_URL: "redis://127.0.0.1:6379", JWT_SECRET: secret })[0]).toMatch(/^DATABASE_URL: required when REDIS_URL is set/);
    expect(problems({ DATABASE_URL: "postgres://127.0.0.1/test" })[0]).toMatch(/^JWT_SECRET: required/);
    expect(problems({ DATABASE_URL: "postgres://127.0.0.1/test", REDIS_URL: "redis://127.0.0.1:6379", JWT_SECRET: secret })).toEqual([]);
  });

  it("CFG-4 AI-19 AI_ALLOWED_MODELS: only AI_MODEL by default, a comma-separated list (AI_MODEL always in), * on purpose", () => {
    expect(parseConfig({ AI_MODEL: "a/one" }).ai.allowedModels).toEqual(["a/one"]);
    expect(parseConfig({ AI_MODEL: "a/one", AI_ALLOWED_MODELS: "" }).ai.allowedModels).toEqual(["a/one"]);
    expect(parseConfig({ AI_MODEL: "a/one", AI_ALLOWED_MODELS: " b/two, a/one ,c/three," }).ai.allowedModels).toEqual(["a/one", "b/two", "c/three"]);
    expect(parseConfig({ AI_ALLOWED_MODELS: "*" }).ai.allowedModels).toBe("any");
    expect(problems({ AI_ALLOWED_MODELS: "b/two, two words" })[0]).toMatch(/^AI_ALLOWED_MODELS: /);
  });
});
