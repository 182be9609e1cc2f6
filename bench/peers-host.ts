// The AI streaming scenario's peers, in a process of their own (server-entry.ts "peers"): real
// peers are separate machines, so neither the bench's bookkeeping nor the endpoint shares a
// process with them. Each peer is a HocuspocusProvider (or, for raw ws, a plain socket) on its
// own socket. A frame's time is taken when `ws` hands it over (socket read and frame parse),
// and the provider handles it later, a millisecond's slice at a time: one process applying 100
// copies of each update must not make the 100th peer look 100 applies late, since a real peer
// applies only its own copy (≈ 0.1 ms). A reply's growth is dated by the frame that carried it.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { appendMessage, messageList, messageText, readMessage, readStatus, type MessageMap } from "@junokit/doc-model";
import WebSocket from "ws";
import * as Y from "yjs";
import { nowMs, RELAY_END, type Arrival, type Command, type PeerReply } from "./protocol";
import type { Target } from "./server-entry";

/** Frames waiting for their provider, each with the time it arrived. */
const inbox: { at: number; run: () => void }[] = [];
let inboxHead = 0;
let draining = false;
/** The arrival time of the frame being handled right now (NaN outside one). */
let handlingFrameAt = Number.NaN;
const SLICE_MS = 1;

function deliverLater(at: number, run: () => void): void {
  inbox.push({ at, run });
  if (!draining) {
    draining = true;
    setImmediate(drain);
  }
}

/** Hands frames to providers for up to SLICE_MS, then lets the event loop read sockets again. */
function drain(): void {
  const until = performance.now() + SLICE_MS;
  while (inboxHead < inbox.length && performance.now() < until) {
    const frame = inbox[inboxHead]!;
    inbox[inboxHead++] = undefined as never;
    handlingFrameAt = frame.at;
    try {
      frame.run();
    } finally {
      handlingFrameAt = Number.NaN;
    }
  }
  if (inboxHead >= inbox.length) {
    inbox.length = 0;
    inboxHead = 0;
    draining = false;
  } else setImmediate(drain);
}

/** When what is being applied now reached this process. */
const arrivalTime = () => (Number.isNaN(handlingFrameAt) ? nowMs() : handlingFrameAt);

type MessageListener = (event: unknown) => void;

/** A `ws` socket whose "message" listeners run later, in arrival order, dated at arrival. */
class StampingWebSocket extends WebSocket {
  private readonly wrapped = new Map<MessageListener, MessageListener>();

  override addEventListener(type: string, listener: MessageListener, options?: unknown): void {
    if (type !== "message") return super.addEventListener(type as never, listener as never, options as never);
    const wrapper: MessageListener = (event) => deliverLater(nowMs(), () => listener.call(this, event));
    this.wrapped.set(listener, wrapper);
    super.addEventListener("message", wrapper as never, options as never);
  }

  override removeEventListener(type: string, listener: MessageListener): void {
    const wrapper = type === "message" ? this.wrapped.get(listener) : undefined;
    if (wrapper) this.wrapped.delete(listener);
    super.removeEventListener(type as never, (wrapper ?? listener) as never);
  }
}

interface DocPeer {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
}

interface Sighting {
  arrivals: Arrival[];
  done: Promise<void>;
  stop(): void;
}

export async function servePeers(): Promise<Target> {
  let docPeers: DocPeer[] = [];
  let rawPeers: WebSocket[] = [];
  let sightings: Sighting[] = [];
  let updates: { times: number[]; stop(): void } | undefined;

  async function open(command: Extract<Command, { cmd: "peersOpen" }>): Promise<number> {
    await close();
    for (let start = 0; start < command.count; start += command.wave) {
      const size = Math.min(command.wave, command.count - start);
      if (command.doc === undefined) {
        const batch = Array.from({ length: size }, () => new WebSocket(command.wsUrl));
        rawPeers.push(...batch);
        await within(Promise.all(batch.map(opened)), 30_000, `opening ${size} sockets`);
      } else {
        const batch = Array.from({ length: size }, () => openDocPeer(command.wsUrl, command.doc!, command.token ?? ""));
        docPeers.push(...batch.map((b) => b.peer));
        await within(Promise.all(batch.map((b) => b.synced)), 30_000, `syncing ${size} peers`);
      }
    }
    return command.count;
  }

  async function close(): Promise<void> {
    sightings.forEach((s) => s.stop());
    sightings = [];
    updates?.stop();
    updates = undefined;
    for (const peer of docPeers) {
      peer.provider.destroy();
      peer.socket.destroy();
    }
    for (const socket of rawPeers) socket.terminate();
    docPeers = [];
    rawPeers = [];
  }

  function watch(command: Extract<Command, { cmd: "peersWatch" }>): void {
    sightings.forEach((s) => s.stop());
    const count = command.peers ?? Math.max(docPeers.length, rawPeers.length);
    sightings =
      rawPeers.length > 0
        ? rawPeers.slice(0, count).map(watchRawReply)
        : docPeers.slice(0, count).map((p) => watchReply(p.doc, command.replyTo));
    updates?.stop();
    updates = command.countUpdates ? countUpdates(docPeers[0]!.doc) : undefined;
  }

  async function settle(timeoutMs: number): Promise<{ sightings: Arrival[][]; updates?: number[] }> {
    await within(Promise.all(sightings.map((s) => s.done)), timeoutMs, "the reply at every peer");
    sightings.forEach((s) => s.stop());
    const out = { sightings: sightings.map((s) => s.arrivals), ...(updates ? { updates: updates.times } : {}) };
    updates?.stop();
    sightings = [];
    updates = undefined;
    return out;
  }

  return {
    ready: { ready: true, wsUrl: "", httpUrl: "" },
    async handle(command) {
      switch (command.cmd) {
        case "peersOpen":
          return open(command);
        case "peersWatch":
          return watch(command);
        case "peersSettle":
          return settle(command.timeoutMs);
        case "peersSay": {
          // As the app does: a person's message appended in one transaction; the provider sends it at once.
          const { messageId: id, text, author } = command;
          const at = nowMs();
          appendMessage(docPeers[0]!.doc, { id, role: "user", authorId: author.id, authorName: author.name, createdAt: Date.now(), text });
          return at;
        }
        case "peersReply":
          return replyAt(docPeers[0]!.doc, command.replyTo);
        case "peersClose":
          return close();
        default:
          throw new Error(`the peers do not answer ${command.cmd}`);
      }
    },
    stop: close,
  };
}

function openDocPeer(wsUrl: string, name: string, token: string): { peer: DocPeer; synced: Promise<void> } {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: StampingWebSocket as never, maxAttempts: 1 });
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const synced = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: doc,
    token,
    onAuthenticationFailed: ({ reason }) => settle.reject(new Error(reason)),
    onSynced: () => settle.resolve(),
  });
  provider.attach();
  return { peer: { doc, provider, socket }, synced };
}

function opened(socket: WebSocket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))),
  ]);
}

/** Raw ws: every frame is one token; its time is when `ws` handed it over. */
function watchRawReply(socket: WebSocket): Sighting {
  const arrivals: Arrival[] = [];
  let length = 0;
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  const onMessage = (data: Buffer) => {
    const at = nowMs();
    const token = data.toString("utf8");
    if (token === RELAY_END) return ended();
    length += token.length;
    arrivals.push({ at, length });
  };
  socket.on("message", onMessage);
  return { arrivals, done, stop: () => socket.off("message", onMessage) };
}

/**
 * Watches for the assistant message answering `replyTo`, then notes each growth of its text,
 * dated by the frame that carried it.
 */
function watchReply(doc: Y.Doc, replyTo: string): Sighting {
  const list = messageList(doc);
  const arrivals: Arrival[] = [];
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  let cleanup = () => list.unobserve(find);
  const follow = (reply: MessageMap) => {
    list.unobserve(find);
    const text = messageText(reply);
    const grew = () => arrivals.push({ at: arrivalTime(), length: text.length });
    const ended = () => readStatus(reply) !== "streaming" && settle();
    text.observe(grew);
    reply.observe(ended);
    cleanup = () => (text.unobserve(grew), reply.unobserve(ended));
    if (text.length > 0) grew();
    ended();
  };
  function find(): void {
    const reply = list.toArray().find((m) => readMessage(m).replyTo === replyTo);
    if (reply) follow(reply);
  }
  list.observe(find);
  find();
  return { arrivals, done, stop: () => cleanup() };
}

/** Document updates one peer receives from now until `stop`, dated by their frames. */
function countUpdates(doc: Y.Doc): { times: number[]; stop(): void } {
  const times: number[] = [];
  // Only what came from the server (origin: the provider), not the peer's own message.
  const onUpdate = (_update: Uint8Array, origin: unknown) => origin != null && times.push(arrivalTime());
  doc.on("update", onUpdate);
  return { times, stop: () => doc.off("update", onUpdate) };
}

function replyAt(doc: Y.Doc, replyTo: string): PeerReply | null {
  const reply = messageList(doc).toArray().map(readMessage).find((m) => m.replyTo === replyTo);
  return reply ? { status: reply.status ?? "", text: reply.text, ...(reply.error ? { error: reply.error } : {}) } : null;
}
