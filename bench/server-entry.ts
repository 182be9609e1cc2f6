// One target server in its own process (`node --expose-gc --import tsx bench/server-entry.ts
// <raw|bare|junokit|endpoint|peers> [env JSON]`), so its memory and CPU are read cleanly. Driven
// over IPC by targets.ts. "endpoint" is the scripted AI endpoint; "peers" holds the AI streaming
// scenario's peers (peers-host.ts), each apart from the servers and the bench.
// Each target's code is imported only in its own process.
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { writeHeapSnapshot } from "node:v8";
import type { Command, MemoryReading, Ready, Reply, Request, TargetKind } from "./protocol";

export interface Target {
  ready: Ready;
  handle(command: Command): Promise<unknown>;
  stop(): Promise<void>;
}

async function startTargetHere(kind: TargetKind | "endpoint" | "peers", env: Record<string, string>): Promise<Target> {
  if (kind === "endpoint") return (await import("./ai-endpoint")).serveEndpoint();
  if (kind === "peers") return (await import("./peers-host")).servePeers();
  if (kind === "raw") return (await import("./target-raw")).startRaw();
  if (kind === "bare") return (await import("./target-bare")).startBare();
  if (kind === "junokit") return (await import("./target-junokit")).startJunoKit(env);
  throw new Error(`unknown target ${String(kind)}`);
}

async function main(): Promise<void> {
  const kind = process.argv[2] as TargetKind | "endpoint" | "peers";
  if (!process.send) throw new Error("server-entry must be started with an IPC channel");
  const target = await startTargetHere(kind, JSON.parse(process.argv[3] ?? "{}") as Record<string, string>);
  process.on("message", (request: Request) => void answer(target, request));
  process.on("disconnect", () => void target.stop().finally(() => process.exit(0)));
  process.send(target.ready);
}

async function answer(target: Target, request: Request): Promise<void> {
  let reply: Reply;
  try {
    const shared = request.cmd === "stop" ? { value: await target.stop() } : await common(request);
    const value = shared ? shared.value : await target.handle(request);
    reply = { id: request.id, ok: true, value: value ?? null };
  } catch (err) {
    reply = { id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  process.send!(reply);
  if (request.cmd === "stop") setImmediate(() => process.exit(0));
}

/** Commands every target answers the same way; undefined means "not one of them". */
async function common(command: Command): Promise<{ value: unknown } | undefined> {
  switch (command.cmd) {
    case "memory":
      return { value: await readMemory(command.gcs) };
    case "heapSnapshot":
      return { value: writeHeapSnapshot(command.file) };
    case "profile":
      return { value: command.action === "start" ? await startProfile() : await stopProfile(command.file) };
    case "cpu": {
      const { user, system } = process.cpuUsage();
      return { value: (user + system) / 1000 };
    }
    default:
      return undefined;
  }
}

let profiler: Session | undefined;

async function startProfile(): Promise<void> {
  profiler = new Session();
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.start");
}

async function stopProfile(file: string): Promise<string> {
  if (!profiler) throw new Error("no profile running");
  const { profile } = await profiler.post("Profiler.stop");
  profiler.disconnect();
  profiler = undefined;
  await writeFile(file, JSON.stringify(profile));
  return file;
}

/** A reading after repeated forced GCs, so garbage does not count as memory in use. */
async function readMemory(gcs: number): Promise<MemoryReading> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("start the target with --expose-gc");
  for (let i = 0; i < gcs; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
