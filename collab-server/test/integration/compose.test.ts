import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// There is no Docker engine here; docker-compose v1 (Debian) validates the file without one.
// The topology itself is exercised by collab-server/test/cluster (two instances, Redis,
// PostgreSQL, a balancer).
const root = fileURLToPath(new URL("../../..", import.meta.url));
const secrets = { JWT_SECRET: "x".repeat(40), POSTGRES_PASSWORD: "pw" };

function compose(dir: string, args: string[], env: Record<string, string> = secrets): string {
  const { JWT_SECRET: _j, POSTGRES_PASSWORD: _p, ...rest } = process.env;
  return execFileSync("docker-compose", args, { cwd: dir, encoding: "utf8", env: { ...rest, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

describe("deployment (docker-compose.yml)", () => {
  it("OPS-1 is valid and runs two replicas, Redis, PostgreSQL and a balancer; the local model is an opt-in profile", () => {
    expect(() => compose(root, ["config", "-q"])).not.toThrow();
    expect(compose(root, ["config", "--services"]).trim().split("\n").sort()).toEqual(["collab-1", "collab-2", "lb", "ollama", "postgres", "redis"]);
    const resolved = compose(root, ["config"]);
    expect(resolved).toMatch(/ollama:[\s\S]*?profiles:\s*\n\s*- local-model/);
    expect(resolved).toMatch(/REDIS_URL: redis:\/\/redis:6379/);
  });

  it("OPS-1 refuses to start without the shared secrets", () => {
    expect(() => compose(root, ["config", "-q"], {})).toThrow(/JWT_SECRET/);
  });

  it("OPS-1 the validator rejects a broken compose file (so the checks above mean something)", () => {
    const dir = mkdtempSync(join(tmpdir(), "junokit-compose-"));
    try {
      copyFileSync(join(root, "Dockerfile"), join(dir, "Dockerfile"));
      writeFileSync(join(dir, "docker-compose.yml"), "services:\n  bad:\n    build: .\n    bogus_key: 1\n");
      expect(() => compose(dir, ["config", "-q"])).toThrow(/bogus_key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
