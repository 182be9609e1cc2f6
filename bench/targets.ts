// Starts each target server as a child process and talks to it over IPC
// (memory readings, CPU, document state, store reads).
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Command, Ready, Reply, TargetKind } from "./protocol";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ENTRY = fileURLToPath(new URL("./server-entry.ts", import.meta.url));

export interface TargetServer {
  kind: TargetKind;
  pid: number;
  wsUrl: string;
  httpUrl: string;
  request<T>(command: Command, timeoutMs?: number): Promise<T>;
  /** Asks the server to close; kills it if it has not exited within 10 s. */
  stop(): Promise<void>;
}

export interface StartTargetOptions {
  /** Write a V8 CPU profile of the server here on exit (BENCH_PROFILE). */
  profileDir?: string;
  /** JunoKit: configuration over the bench's defaults (AI endpoint, PostgreSQL, Redis). */
  env?: Record<string, string>;
  /** Names the profile directory when several servers of one kind run (default: the kind). */
  label?: string;
}

export async function startTarget(kind: TargetKind, options: StartTargetOptions = {}): Promise<TargetServer> {
  return { kind, ...(await startChild(kind, options)) };
}

/** A server-entry child of any kind (a target, or the bench's scripted AI endpoint). */
export async function startChild(kind: string, options: StartTargetOptions = {}): Promise<Omit<TargetServer, "kind">> {
  // One directory per target; Node names each thread's profile itself (tsx's loader runs on a worker).
  const profile = options.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}/${options.label ?? kind}`] : [];
  const child = fork(ENTRY, [kind, JSON.stringify(options.env ?? {})], {
    cwd: ROOT,
    execArgv: ["--expose-gc", "--import", "tsx", ...profile],
    serialization: "advanced",
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = await firstReady(child, exited);
  const waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let nextId = 1;
  child.on("message", (message: Reply) => {
    const entry = waiting.get(message.id);
    if (!entry) return;
    waiting.delete(message.id);
    if (message.ok) entry.resolve(message.value);
    else entry.reject(new Error(`${kind}: ${message.error}`));
  });
  void exited.then((code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`${kind} server exited (${code})`));
    waiting.clear();
  });

  function request<T>(command: Command, timeoutMs = 60_000): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`${kind}: no answer to ${command.cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value as T)),
        reject: (err) => (clearTimeout(timer), reject(err)),
      });
      child.send({ ...command, id });
    });
  }

  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid!,
    wsUrl: ready.wsUrl,
    httpUrl: ready.httpUrl,
    request,
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode !== null) return;
        await request({ cmd: "stop" }, 10_000).catch(() => undefined);
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      })()),
  };
}

function firstReady(child: ChildProcess, exited: Promise<number | null>): Promise<Ready> {
  return new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("target server did not start within 30 s"));
    }, 30_000);
    child.on("message", function onReady(message: Partial<Ready>) {
      if (message.ready !== true) return;
      clearTimeout(timer);
      child.off("message", onReady);
      resolve(message as Ready);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`target server exited (${code}) before it was ready`));
    });
  });
}
