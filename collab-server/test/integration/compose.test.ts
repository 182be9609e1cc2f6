import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// There is no Docker engine here; docker-compose v1 (Debian) validates the file without one.
const root = fileURLToPath(new URL("../../..", import.meta.url));

function composeConfig(dir: string): string {
  return execFileSync("docker-compose", ["config", "-q"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("deployment", () => {
  it("OPS-1 docker-compose.yml is valid", () => {
    expect(() => composeConfig(root)).not.toThrow();
  });

  it("OPS-1 the validator rejects a broken compose file (so the check above means something)", () => {
    const dir = mkdtempSync(join(tmpdir(), "junokit-compose-"));
    try {
      copyFileSync(join(root, "Dockerfile"), join(dir, "Dockerfile"));
      writeFileSync(join(dir, "docker-compose.yml"), "services:\n  bad:\n    build: .\n    bogus_key: 1\n");
      expect(() => composeConfig(dir)).toThrow(/bogus_key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
