// The page's side of offline search: requests go to a worker started on first use (and stopped
// after a minute without searches, releasing the index); where a worker can't start (no
// Worker, its script unavailable) the same code runs in the page, yielding between conversations.
import type { SearchHit } from "@junokit/doc-model";
import type { DeviceSearch, DeviceSearchStatus, RefreshRequest } from "./device-search";
import { answer, type SearchReply, type SearchRequest } from "./protocol";

export interface DeviceSearchResult {
  hits: SearchHit[];
  status: DeviceSearchStatus;
  /** Time the query took in the index, ms (reading the copies is `status.readMs`). */
  searchMs: number;
}

const IDLE_MS = 60_000;

interface Waiting {
  request: SearchRequest;
  resolve(result: DeviceSearchResult): void;
  reject(error: Error): void;
  onProgress: ((status: DeviceSearchStatus) => void) | undefined;
}

const waiting = new Map<number, Waiting>();
let nextId = 1;
let worker: Worker | null = null;
let workerFailed = false;
let inPage: Promise<DeviceSearch> | null = null;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

/** Searches this device's cached copies of the listed conversations (SPEC SRCH-7). */
export function searchDevice(request: RefreshRequest & { query: string; limit?: number }, onProgress?: (status: DeviceSearchStatus) => void): Promise<DeviceSearchResult> {
  return new Promise((resolve, reject) => {
    const message: SearchRequest = {
      id: nextId++,
      userId: request.userId,
      workspaceId: request.workspaceId,
      conversations: request.conversations.map(({ id, docName, title }) => ({ id, docName, title })),
      query: request.query,
      limit: request.limit ?? 20,
    };
    waiting.set(message.id, { request: message, resolve, reject, onProgress });
    send(message);
  });
}

/** Stops the worker and drops the index (sign-out; tests). */
export function stopDeviceSearch(): void {
  clearTimeout(idleTimer);
  worker?.terminate();
  worker = null;
  inPage = null;
}

function send(message: SearchRequest): void {
  clearTimeout(idleTimer);
  const w = startWorker();
  if (w) {
    w.postMessage(message);
    return;
  }
  // Loaded only here: the index and Yjs decoding otherwise live in the worker's bundle alone.
  inPage ??= import("./device-search").then(({ DeviceSearch }) => new DeviceSearch({ factory: typeof indexedDB === "undefined" ? null : indexedDB }));
  void inPage.then(
    (search) => answer(search, message, receive),
    (error: unknown) => receive({ id: message.id, type: "error", message: String(error) }),
  );
}

function receive(reply: SearchReply): void {
  const w = waiting.get(reply.id);
  if (!w) return;
  if (reply.type === "progress") {
    w.onProgress?.(reply.status);
    return;
  }
  waiting.delete(reply.id);
  if (reply.type === "result") w.resolve({ hits: reply.hits, status: reply.status, searchMs: reply.searchMs });
  else w.reject(new Error(`Searching this device failed: ${reply.message}`));
  if (waiting.size === 0) idleTimer = setTimeout(stopDeviceSearch, IDLE_MS);
}

function startWorker(): Worker | null {
  if (worker || workerFailed || typeof Worker === "undefined") return worker;
  try {
    worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "junokit-offline-search" });
  } catch {
    workerFailed = true;
    return null;
  }
  worker.addEventListener("message", (event: MessageEvent<SearchReply>) => receive(event.data));
  worker.addEventListener("error", (event) => {
    // The script could not load or crashed: search in the page instead, nothing is lost.
    event.preventDefault();
    workerFailed = true;
    worker?.terminate();
    worker = null;
    for (const w of waiting.values()) send(w.request);
  });
  return worker;
}
