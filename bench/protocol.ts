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
  /**
   * raw and bare: read a reply from the scripted OpenAI-compatible endpoint at `url` (the last
   * user turn is `prompt`) and pass each token on as it comes: raw ws sends it to every socket,
   * then an end frame; bare Hocuspocus writes one transaction per token into the assistant
   * message `replyId` (replying to `prompt`) of `doc` through a direct connection.
   */
  | { cmd: "relay"; url: string; prompt: string; doc?: string; replyId?: string }
  /** bare and junokit: start noting when the reply to `replyTo` grows in the server's copy of `doc`. */
  | { cmd: "traceReply"; doc: string; replyTo: string }
  /** bare and junokit: what the trace noted ({at, length}[], hrtime ms); ends it. */
  | { cmd: "replyTrace" }
  /** junokit: the AI peer's "AI reply finished" reports logged so far. */
  | { cmd: "aiReplies" }
  /** endpoint: answer the next request whose last user turn holds `prompt` with `text`, a word-token every `spacingMs`. */
  | { cmd: "script"; prompt: string; text: string; spacingMs: number }
  /** endpoint: the request for `prompt` once received (and, with `ended`, once answered): its times in hrtime ms. */
  | { cmd: "upstreamRequest"; prompt: string; ended: boolean; timeoutMs: number }
  /** peers: open `count` peers on `wsUrl`, `wave` at a time: providers of `doc`, or raw sockets when no `doc`. */
  | { cmd: "peersOpen"; wsUrl: string; count: number; wave: number; doc?: string; token?: string }
  /** peers: start noting the reply to `replyTo` at the first `peers` peers (all by default), and the updates peer 0 gets. */
  | { cmd: "peersWatch"; replyTo: string; peers?: number; countUpdates?: boolean }
  /** peers: once the reply is done at every watched peer, what each saw ({sightings: Arrival[][], updates?: number[]}). */
  | { cmd: "peersSettle"; timeoutMs: number }
  /** peers: peer 0 posts a person's message; answers when it was appended (hrtime ms). */
  | { cmd: "peersSay"; messageId: string; text: string; author: { id: string; name: string } }
  /** peers: the reply to `replyTo` as peer 0 has it (PeerReply or null). */
  | { cmd: "peersReply"; replyTo: string }
  | { cmd: "peersClose" }
  | { cmd: "stop" };

export type Request = Command & { id: number };

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** What JunoKit's AI peer logs when a reply ends (collab-server/src/ai/conversation-peer.ts). */
export interface AiReplyReport {
  replyTo: string;
  status: string;
  /** Prompt noticed → provider called, inside the server (ms). */
  startMs: number;
  deltas: number;
  /** Document transactions the reply took. */
  writes: number;
}

/** When a copy of a streamed reply grew, and to what length (hrtime ms). */
export interface Arrival {
  at: number;
  length: number;
}

/** What a target answers to "replyTrace": the reply's growth in its own document. */
export interface ReplyTraceResult {
  arrivals: Arrival[];
  /** The server's CPU time (ms) when the first text arrived, and when the reply left "streaming". */
  cpuAtFirstMs: number;
  cpuAtEndMs: number;
}

/** What the raw and bare targets answer to "relay". */
export interface RelayResult {
  tokens: number;
  /** The server's CPU time (ms) when it passed on the first token, and once it passed on the last. */
  cpuAtFirstMs: number;
  cpuAtLastMs: number;
}

/** A reply as one peer holds it. */
export interface PeerReply {
  status: string;
  text: string;
  error?: string;
}

/** A request the scripted endpoint answered; times are hrtime ms (nowMs), like the peers'. */
export interface UpstreamRequest {
  receivedAt: number;
  /** Each content token and when the endpoint wrote it. */
  emitted: { text: string; at: number }[];
}

/** The frame raw ws sends after the last token of a relayed reply. */
export const RELAY_END = "\u0000end";

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
