// `npm start`: build the app when its build is missing or older than its sources, then run
// one JunoKit process. Signals are passed on so SIGTERM still flushes and exits 0.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "app/dist/index.html");
const sources = ["app/src", "app/index.html", "app/vite.config.ts", "app/public", "doc-model/src"].map((p) => join(root, p));

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function appIsStale() {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((s) => newestMtime(s) > builtAt);
}

if (appIsStale()) {
  console.error(JSON.stringify({ level: "info", msg: "building the app (first start or sources changed)…" }));
  const result = spawnSync("npm", ["run", "build", "-w", "app"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) {
    console.error(JSON.stringify({ level: "fatal", msg: "the app build failed; see the output above, fix it, then run npm start again" }));
    process.exit(result.status ?? 1);
  }
}

const tsx = join(root, "node_modules/tsx/dist/loader.mjs");
const server = spawn(process.execPath, ["--import", `file://${tsx}`, join(root, "collab-server/src/main.ts")], { stdio: "inherit" });
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
