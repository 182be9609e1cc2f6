// `npm run dev`: the collab server on :8080 and Vite's dev server (which proxies /api and
// /collab to it) side by side, for UI work.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsx = join(root, "node_modules/tsx/dist/loader.mjs");
const children = [
  spawn(process.execPath, ["--import", `file://${tsx}`, "--watch", join(root, "collab-server/src/main.ts")], { stdio: "inherit", cwd: root }),
  spawn(process.execPath, [join(root, "node_modules/vite/bin/vite.js")], { stdio: "inherit", cwd: join(root, "app") }),
];
const stop = (signal) => children.forEach((c) => c.kill(signal));
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
children.forEach((c) => c.on("exit", (code) => { stop("SIGTERM"); process.exitCode = code ?? 0; }));
