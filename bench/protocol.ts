// The IPC conversation between the bench (client process) and one target server child.
// Control traffic only: nothing here travels on a measured path.

export type TargetKind = "raw" | "bare" | "junokit";

export const TARGETS: readonly TargetKind[] = ["raw", "bare", "junokit"];

export const TARGET_LABEL: Record<TargetKind, string> = {
  raw: "raw ws",
  bare: "bare Hocuspocus",
  junokit: "JunoKit",
};

/** The constant token the bare Hocuspocus target accepts (its onAuthenticate compares it). */
export const BARE_TOKEN = "bench-token";

export interface MemoryReading {
  rss: number;
  heapUsed: number;
  external: number;
}

export type Command =
  | { cmd: "memory"; gcs: number }
  | { cmd: "cpu" }
  | { cmd: "documents" }
  | { cmd: "isLoaded"; doc: string }
  /** bare: keep a snapshot that its onLoadDocument applies (its only "storage"). */
  | { cmd: "seed"; doc: string; update: Uint8Array }
  /** raw: build and hold pure Y.Docs (the pure-Yjs reference for memory per document). */
  | { cmd: "pureDocs"; count: number; messages: number }
  /** junokit: when each marked update's store append resolved (hrtime ms). */
  | { cmd: "appendTimes" }
  /** junokit: read the document from the store now; does it hold the marker? */
  | { cmd: "storeHas"; doc: string; marker: string }
  /** Writes a V8 heap snapshot to `file` (for investigating a memory figure). */
  | { cmd: "heapSnapshot"; file: string }
  /** Starts a CPU profile of the main thread; "stop" writes it to `file` (a window of a scenario). */
  | { cmd: "profile"; action: "start" }
  | { cmd: "profile"; action: "stop"; file: string }
  | { cmd: "stop" };

export type Request = Command & { id: number };

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface Ready {
  ready: true;
  /** Base of the WebSocket URL peers connect to (with path). */
  wsUrl: string;
  /** JunoKit's HTTP base (API); empty for the others. */
  httpUrl: string;
}

/** CLOCK_MONOTONIC in ms; shared by every process on one Linux host. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
