// The e2e tests run against the built app (what the server really serves). Build it when
// app/dist is missing or older than any source file; a lock keeps parallel files from
// building twice.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const APP_DIST = join(APP_DIR, "dist");
// The app's own (pinned) Vite, not the newer one vitest brings along at the root.
const VITE = join(createRequire(join(APP_DIR, "package.json")).resolve("vite/package.json"), "..", "bin", "vite.js");
const STALE_LOCK_MS = 5 * 60_000;
const SOURCES = ["src", "index.html", "vite.config.ts", "package.json", "../doc-model/src"];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

export function appIsStale(): boolean {
  const built = join(APP_DIST, "index.html");
  if (!existsSync(built)) return true;
  const sourceTime = Math.max(...SOURCES.map((s) => join(APP_DIR, s)).filter(existsSync).map(newest));
  return sourceTime > statSync(built).mtimeMs;
}

export async function ensureAppBuilt(): Promise<void> {
  const lock = join(APP_DIR, ".e2e-build.lock");
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building: wait for its lock to go. A lock older than any build
      // is left over from a killed run.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (appIsStale()) {
      // Vitest sets NODE_ENV=test, which would bundle React's development build: build what ships.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
      execFileSync(process.execPath, [VITE, "build", "--logLevel", "warn"], {
        cwd: APP_DIR,
        stdio: "inherit",
        env: { ...env, NODE_ENV: "production" },
      });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
