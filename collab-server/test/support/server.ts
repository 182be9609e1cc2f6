// The one way integration tests start JunoKit: the real server on 127.0.0.1, port 0, with a
// temporary data dir, plus small clients (HTTP and Hocuspocus providers) that speak to it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import { parseConfig } from "../../src/config";
import { createLogger } from "../../src/log";
import { startJunoServer, type JunoServer } from "../../src/server";

export interface Session {
  token: string;
  user: { id: string; username: string; displayName: string };
}

export interface TestServer {
  url: string;
  port: number;
  wsUrl: string;
  dataDir: string;
  server: JunoServer;
  /** Stops the server; removes the data dir unless `keepData`. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export interface StartOptions {
  appDist?: string;
  env?: Record<string, string>;
  /** Reuse a data dir (restart tests); a fresh temp dir otherwise. */
  dataDir?: string;
  /** Listen on this port (a restart that browsers must find again); an ephemeral one otherwise. */
  port?: number;
}

let counter = 0;

export async function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "junokit-test-"));
}

export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await tempDataDir());
  const config = parseConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...options.env,
    PORT: String(options.port ?? 0),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    APP_DIST: options.appDist ?? join(dataDir, "no-app"),
  });
  const server = await startJunoServer(config, createLogger(config.logLevel));
  return {
    url: server.url,
    port: server.port,
    wsUrl: `ws://127.0.0.1:${server.port}/collab`,
    dataDir,
    server,
    async close({ keepData = false } = {}) {
      await server.close();
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON call to the API; returns status and parsed body. */
export async function api<T = any>(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers["content-type"] ??= "application/json";
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(base + path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export async function register(base: string, name?: string): Promise<Session> {
  const username = name ?? `user${process.pid}x${++counter}`;
  const res = await api<Session>(base, "/api/auth/register", { body: { username, password: "correct horse battery", displayName: username.toUpperCase() } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * A workspace owned by a fresh user, with one conversation; returns everything a test needs.
 * `ai: "off"` keeps the AI peer out of tests that count messages.
 */
export async function workspaceWithConversation(base: string, options: { ai?: "auto" | "mention" | "off" } = {}) {
  const owner = await register(base);
  const ws = await api(base, "/api/workspaces", { token: owner.token, body: { name: "Team" } });
  const conv = await api(base, `/api/workspaces/${ws.body.id}/conversations`, { token: owner.token, body: { title: "Launch", persona: "dev", ...options } });
  return { owner, workspaceId: ws.body.id as string, conversationId: conv.body.id as string, docName: conv.body.docName as string };
}

export async function addMember(base: string, owner: Session, workspaceId: string, role: "owner" | "editor" | "viewer"): Promise<Session> {
  const member = await register(base);
  const res = await api(base, `/api/workspaces/${workspaceId}/members`, { token: owner.token, body: { username: member.user.username, role } });
  if (res.status !== 200) throw new Error(`adding member failed: ${res.status}`);
  return member;
}

export interface Peer {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  /** Resolves on first sync; rejects with the server's reason when authentication fails. */
  synced: Promise<void>;
  scope: () => string | undefined;
  awareness: () => NonNullable<HocuspocusProvider["awareness"]>;
  /** Resolves once the server has acknowledged every local change. */
  acknowledged(): Promise<void>;
  destroy(): void;
}

export function connect(wsUrl: string, docName: string, token: string, options: { headers?: Record<string, string> } = {}): Peer {
  const doc = new Y.Doc();
  class HeaderWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: options.headers ?? {} });
    }
  }
  const socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: HeaderWebSocket as never, maxAttempts: 1 });
  let scope: string | undefined;
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const synced = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: docName,
    document: doc,
    token,
    onAuthenticated: ({ scope: s }) => (scope = s),
    onAuthenticationFailed: ({ reason }) => settle.reject(new Error(reason)),
    onSynced: () => settle.resolve(),
  });
  provider.attach();
  // A refused upgrade (origin, limits) never reaches authentication: fail on close instead.
  socket.on("close", ({ event }: { event: { code: number; reason: string } }) =>
    settle.reject(new Error(`connection closed (${event.code}) ${event.reason}`)),
  );
  return {
    doc,
    provider,
    socket,
    synced,
    scope: () => scope,
    awareness: () => provider.awareness!,
    acknowledged: () =>
      new Promise<void>((resolve) => {
        if (!provider.hasUnsyncedChanges) return resolve();
        const check = () => {
          if (provider.hasUnsyncedChanges) return;
          provider.off("unsyncedChanges", check);
          resolve();
        };
        provider.on("unsyncedChanges", check);
      }),
    destroy() {
      provider.destroy();
      socket.destroy();
    },
  };
}

/** Resolves when `predicate` holds for `doc`, checking after every update. */
export function until(doc: Y.Doc, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      doc.off("update", check);
      reject(new Error("condition not reached in time"));
    }, timeoutMs);
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      doc.off("update", check);
      resolve();
    };
    doc.on("update", check);
  });
}

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  wsUrl: string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  logs: string[];
}

/** JunoKit as its own OS process (`npm start`'s entry), for kill -9 and signal tests. */
export async function spawnServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  // The child's cwd is its data dir (where a .env would be read), so name tsx's loader by path.
  const tsx = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
  const child = spawn(process.execPath, ["--import", tsx, join(ROOT, "collab-server/src/main.ts")], {
    cwd: dataDir,
    env: { ...process.env, LOG_LEVEL: "info", ...env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, APP_DIST: join(dataDir, "no-app") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line);
          if (entry.msg === "JunoKit is listening") resolve(entry.url);
        } catch {
          /* non-JSON output is kept in logs for the failure message */
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${logs.join("\n")}`)));
  });
  const port = Number(new URL(url).port);
  return { child, url, port, wsUrl: `ws://127.0.0.1:${port}/collab`, exited, logs };
}
