// AI streaming (issue 4, DESIGN.md §8): a scripted OpenAI-compatible endpoint (its own process)
// emits a reply token by token at a fixed spacing; 1, 10 or 100 peers (in this process) watch it
// arrive. Delay = a peer's text first covering token k − the endpoint writing token k, both in
// hrtime ms (CLOCK_MONOTONIC, one clock for every process on the host).
//   raw ws           the server reads the stream and sends each token to every socket
//   bare Hocuspocus  a direct connection writes one transaction per token
//   JunoKit          a person's message in an AI conversation; the AI peer answers it
import { appendMessage, messageList, messageText, readMessage, readStatus, type MessageMap } from "@junokit/doc-model";
import type * as Y from "yjs";
import { closePeers, closeRawPeers, docAccess, openPeers, openRawPeers, within, type DocAccess, type Peer, type RawPeer } from "./clients";
import type { Endpoint } from "./ai-endpoint";
import { nowMs, RELAY_END, TARGET_LABEL, type AiReplyReport, type TargetKind, type UpstreamRequest } from "./protocol";
import { foreignLoad, ownCpuMs, sampleMachine } from "./machine";
import { percentile, summarize, type Summary } from "./samples";
import type { TargetServer } from "./targets";

export interface AiStreamingSizes {
  peers: number[];
  /** Tokens in each scripted reply. */
  tokens: number;
  /** The endpoint waits this long before each token. */
  spacingMs: number;
  /** Measured replies per target and peer count, after one warm-up reply. */
  replies: number;
  /** JunoKit: short prompts timed from the person's message to the endpoint's request. */
  overheadPrompts: number;
}

export interface AiStreamingRun {
  target: TargetKind;
  peers: number;
  replies: number;
  tokens: number;
  /** Median time between the endpoint's token writes (the asked spacing, plus timer lag). */
  spacingMs: number;
  /** First token of a reply, every (reply, peer) delivery. */
  firstToken: Summary;
  /** First token at the slowest peer, one sample per reply. */
  firstTokenAllPeers: Summary;
  /** Every later token at every peer. */
  laterTokens: Summary;
  /** Token deliveries never seen. */
  lost: number;
  /** Hocuspocus targets: endpoint → the token in the server's own copy of the document. */
  intoDocument?: { firstToken: Summary; laterTokens: Summary };
  serverCpuPerTokenUs: number;
  /** Hocuspocus targets, at one peer: document updates from the prompt until the reply is done. */
  updatesPerReply?: number;
  /** Those updates per second of the reply (median reply). */
  updatesPerSecond?: number;
  /** Most updates within any one second of a reply (worst reply). */
  peakUpdatesPerSecond?: number;
  /** JunoKit: transactions the AI peer reports per reply (its log). */
  writesPerReply?: number;
  /** JunoKit: person's message appended → the endpoint received the request. */
  overhead?: Summary;
  /** JunoKit: the same inside the server (prompt noticed → provider called, its log). */
  overheadInServer?: Summary;
  /** Share of the machine other work used during this target's run at this N (0..1). */
  foreignLoad?: number;
}

type Progress = (message: string) => void;

/** When a peer's copy of the reply grew, and to what length. */
interface Arrival {
  at: number;
  length: number;
}

/** One reply as one peer saw it. */
interface Sighting {
  arrivals: Arrival[];
  done: Promise<void>;
  stop(): void;
}

/** One reply, as the endpoint wrote it and as every peer saw it. */
interface ReplyRecord {
  request: UpstreamRequest;
  sightings: Pick<Sighting, "arrivals">[];
  /** The reply's growth in the server's copy of the document. */
  server?: Arrival[];
  cpuMs: number;
  updates?: number[];
}

/** "t0 t1 t2 …": word tokens with no leading space on the first, so lengths add up exactly. */
function replyText(tokens: number): string {
  return Array.from({ length: tokens }, (_, i) => `t${i}`).join(" ");
}

export interface AiStreamingResult {
  runs: AiStreamingRun[];
  /**
   * The raw ws server reading the same streams with no peers: CPU per token of just taking
   * each token in (a wake-up per token at this spacing), the floor under every target.
   */
  streamReadCpuPerTokenUs?: number;
}

export async function runAiStreaming(
  targets: Map<TargetKind, TargetServer>,
  endpoint: Endpoint,
  sizes: AiStreamingSizes,
  progress: Progress,
): Promise<AiStreamingResult> {
  const runs: AiStreamingRun[] = [];
  const order = [...targets.keys()];
  for (const [i, peers] of sizes.peers.entries()) {
    // Rotate the order per peer count, so a drifting machine load favours no target.
    for (const kind of order.map((_, k) => order[(k + i) % order.length]!)) {
      const target = targets.get(kind)!;
      const label = `AI streaming N=${peers} · ${TARGET_LABEL[kind]}`;
      const machineFrom = sampleMachine();
      const ownFrom = ownCpuMs() + (await target.request<number>({ cmd: "cpu" })) + (await endpoint.cpuMs());
      const run =
        kind === "raw" ? await rawRun(target, endpoint, peers, sizes, label, progress)
        : kind === "bare" ? await bareRun(target, endpoint, peers, sizes, label, progress)
        : await junoRun(target, endpoint, peers, sizes, label, progress);
      const own = ownCpuMs() + (await target.request<number>({ cmd: "cpu" })) + (await endpoint.cpuMs()) - ownFrom;
      runs.push({ ...run, foreignLoad: foreignLoad(machineFrom, sampleMachine(), own) });
    }
  }
  const raw = targets.get("raw");
  return { runs, ...(raw ? { streamReadCpuPerTokenUs: await streamReadRun(raw, endpoint, sizes, progress) } : {}) };
}

async function streamReadRun(target: TargetServer, endpoint: Endpoint, sizes: AiStreamingSizes, progress: Progress): Promise<number> {
  let cpuMs = 0;
  let tokens = 0;
  for (let r = 0; r <= sizes.replies; r++) {
    progress(`AI streaming · ${TARGET_LABEL[target.kind]} reading the stream with no peers · reply ${r + 1}/${sizes.replies + 1}`);
    const prompt = `bench-read-r${r}.`;
    await script(endpoint, prompt, sizes);
    const cpuFrom = await target.request<number>({ cmd: "cpu" });
    const read = await target.request<number>({ cmd: "relay", url: endpoint.baseUrl, prompt }, replyDeadline(sizes));
    const used = (await target.request<number>({ cmd: "cpu" })) - cpuFrom;
    if (r > 0) {
      cpuMs += used;
      tokens += read;
    }
  }
  return tokens > 0 ? (cpuMs * 1000) / tokens : Number.NaN;
}

/** The script for one reply, matched by the prompt (the last user turn). */
function script(endpoint: Endpoint, prompt: string, sizes: AiStreamingSizes): Promise<void> {
  return endpoint.script(prompt, replyText(sizes.tokens), sizes.spacingMs);
}

/** The endpoint's record of the reply to `prompt`, once written out. */
function written(endpoint: Endpoint, prompt: string, sizes: AiStreamingSizes): Promise<UpstreamRequest> {
  return endpoint.request(prompt, { ended: true, timeoutMs: replyDeadline(sizes) });
}

const replyDeadline = (sizes: AiStreamingSizes) => 30_000 + sizes.tokens * sizes.spacingMs * 3;

async function rawRun(target: TargetServer, endpoint: Endpoint, peers: number, sizes: AiStreamingSizes, label: string, progress: Progress): Promise<AiStreamingRun> {
  const sockets = await openRawPeers(target, peers);
  const records: ReplyRecord[] = [];
  try {
    for (let r = 0; r <= sizes.replies; r++) {
      progress(`${label} · reply ${r + 1}/${sizes.replies + 1}${r === 0 ? " (warm-up)" : ""}`);
      const prompt = `bench-raw-n${peers}-r${r}.`;
      await script(endpoint, prompt, sizes);
      const sightings = sockets.map(watchRawReply);
      const cpuFrom = await target.request<number>({ cmd: "cpu" });
      await target.request({ cmd: "relay", url: endpoint.baseUrl, prompt }, replyDeadline(sizes));
      await within(Promise.all(sightings.map((s) => s.done)), 10_000, "raw reply at every peer");
      const cpuMs = (await target.request<number>({ cmd: "cpu" })) - cpuFrom;
      sightings.forEach((s) => s.stop());
      if (r > 0) records.push({ request: await written(endpoint, prompt, sizes), sightings, cpuMs });
    }
  } finally {
    closeRawPeers(sockets);
  }
  return figures("raw", peers, sizes, records);
}

function watchRawReply(peer: RawPeer): Sighting {
  const arrivals: Arrival[] = [];
  let length = 0;
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  const onMessage = (data: Buffer) => {
    const token = data.toString("utf8");
    if (token === RELAY_END) return ended();
    length += token.length;
    arrivals.push({ at: nowMs(), length });
  };
  peer.socket.on("message", onMessage);
  return { arrivals, done, stop: () => peer.socket.off("message", onMessage) };
}

async function bareRun(target: TargetServer, endpoint: Endpoint, peers: number, sizes: AiStreamingSizes, label: string, progress: Progress): Promise<AiStreamingRun> {
  const access = await docAccess(target);
  const doc = await access.newConversation();
  const clients = await openPeers(target, doc, access.token, peers);
  const records: ReplyRecord[] = [];
  try {
    for (let r = 0; r <= sizes.replies; r++) {
      progress(`${label} · reply ${r + 1}/${sizes.replies + 1}${r === 0 ? " (warm-up)" : ""}`);
      const prompt = `bench-bare-n${peers}-r${r}.`;
      await script(endpoint, prompt, sizes);
      const updates = countUpdates(clients[0]!.doc);
      const sightings = clients.map((c) => watchReply(c.doc, prompt));
      await target.request({ cmd: "traceReply", doc, replyTo: prompt });
      const cpuFrom = await target.request<number>({ cmd: "cpu" });
      await target.request({ cmd: "relay", url: endpoint.baseUrl, prompt, doc, replyId: `reply-${prompt}` }, replyDeadline(sizes));
      await within(Promise.all(sightings.map((s) => s.done)), 10_000, "bare reply done at every peer");
      const cpuMs = (await target.request<number>({ cmd: "cpu" })) - cpuFrom;
      const server = await target.request<Arrival[]>({ cmd: "replyTrace" });
      sightings.forEach((s) => s.stop());
      if (r > 0) records.push({ request: await written(endpoint, prompt, sizes), sightings, server, cpuMs, updates: updates.stop() });
      else updates.stop();
    }
  } finally {
    closePeers(clients);
  }
  return figures("bare", peers, sizes, records);
}

async function junoRun(target: TargetServer, endpoint: Endpoint, peers: number, sizes: AiStreamingSizes, label: string, progress: Progress): Promise<AiStreamingRun> {
  const access = await docAccess(target);
  // A fresh conversation per peer count, so every count starts from the same prompt size.
  const doc = await access.newConversation();
  const clients = await openPeers(target, doc, access.token, peers);
  const records: ReplyRecord[] = [];
  const asked: string[] = [];
  const overhead: number[] = [];
  const quick: string[] = [];
  try {
    for (let r = 0; r <= sizes.replies; r++) {
      progress(`${label} · reply ${r + 1}/${sizes.replies + 1}${r === 0 ? " (warm-up)" : ""}`);
      const prompt = `bench-junokit-n${peers}-r${r}.`;
      await script(endpoint, prompt, sizes);
      const id = `q-n${peers}-r${r}`;
      const sightings = clients.map((c) => watchReply(c.doc, id));
      await target.request({ cmd: "traceReply", doc, replyTo: id });
      const cpuFrom = await target.request<number>({ cmd: "cpu" });
      say(clients[0]!, access, id, prompt);
      const updates = countUpdates(clients[0]!.doc);
      await within(Promise.all(sightings.map((s) => s.done)), replyDeadline(sizes), "JunoKit reply done at every peer");
      const cpuMs = (await target.request<number>({ cmd: "cpu" })) - cpuFrom;
      const server = await target.request<Arrival[]>({ cmd: "replyTrace" });
      sightings.forEach((s) => s.stop());
      expectReply(clients[0]!.doc, id, replyText(sizes.tokens));
      if (r > 0) {
        records.push({ request: await written(endpoint, prompt, sizes), sightings, server, cpuMs, updates: updates.stop() });
        asked.push(id);
      } else updates.stop();
    }
    // App overhead: short replies, one at a time, person's message → the endpoint's request.
    for (let i = 0; i < sizes.overheadPrompts; i++) {
      if (i % 10 === 0) progress(`${label} · message → request ${i + 1}–${Math.min(i + 10, sizes.overheadPrompts)}/${sizes.overheadPrompts}`);
      const prompt = `bench-quick-n${peers}-${i}.`;
      await endpoint.script(prompt, "ok", 0);
      const id = `quick-n${peers}-${i}`;
      const sighting = watchReply(clients[0]!.doc, id);
      const sentAt = nowMs();
      say(clients[0]!, access, id, prompt);
      const request = await endpoint.request(prompt, { ended: false, timeoutMs: 30_000 });
      overhead.push(request.receivedAt - sentAt);
      await within(sighting.done, 30_000, "quick reply done");
      sighting.stop();
      quick.push(id);
    }
  } finally {
    closePeers(clients);
  }
  const reports = await target.request<AiReplyReport[]>({ cmd: "aiReplies" });
  const reportOf = (id: string) => reports.find((r) => r.replyTo === id);
  const writes = asked.map((id) => reportOf(id)?.writes).filter((w): w is number => w !== undefined);
  const inServer = quick.map((id) => reportOf(id)?.startMs).filter((s): s is number => s !== undefined);
  return {
    ...figures("junokit", peers, sizes, records),
    writesPerReply: median(writes),
    overhead: summarize(overhead),
    overheadInServer: summarize(inServer),
  };
}

/** A person's message, written by one of the peers (as the app does). */
function say(peer: Peer, access: DocAccess, id: string, text: string): void {
  appendMessage(peer.doc, { id, role: "user", authorId: access.author.id, authorName: access.author.name, createdAt: Date.now(), text });
}

function expectReply(doc: Y.Doc, replyTo: string, expected: string): void {
  const reply = messageList(doc).toArray().map(readMessage).find((m) => m.replyTo === replyTo);
  if (reply?.status !== "done" || reply.text !== expected) {
    throw new Error(`the AI's reply to ${replyTo} is ${reply ? `${reply.status} (${reply.error ?? `${reply.text.length} of ${expected.length} characters`})` : "missing"}`);
  }
}

/**
 * Watches for the assistant message answering `replyTo`, then notes each growth of its text
 * (only the reply's Y.Text is observed: the peers share this process with the endpoint).
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
    const grew = () => arrivals.push({ at: nowMs(), length: text.length });
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

/** Document updates one peer receives from now until `stop` (returns their times). */
function countUpdates(doc: Y.Doc): { stop(): number[] } {
  const times: number[] = [];
  const onUpdate = () => times.push(nowMs());
  doc.on("update", onUpdate);
  return { stop: () => (doc.off("update", onUpdate), times) };
}

/** Per token k: the first arrival at each peer whose length covers the first k tokens. */
function delays(record: ReplyRecord): { first: number[]; later: number[]; allPeersFirst: number; lost: number } {
  const first: number[] = [];
  const later: number[] = [];
  let lost = 0;
  const cursors = record.sightings.map(() => 0);
  let offset = 0;
  for (const [k, token] of record.request.emitted.entries()) {
    offset += token.text.length;
    record.sightings.forEach((s, p) => {
      while (cursors[p]! < s.arrivals.length && s.arrivals[cursors[p]!]!.length < offset) cursors[p]!++;
      const hit = s.arrivals[cursors[p]!];
      if (!hit) return void lost++;
      (k === 0 ? first : later).push(hit.at - token.at);
    });
  }
  // A peer that never saw the first token leaves "every peer" undefined, not merely slow.
  const allPeersFirst = first.length === record.sightings.length ? Math.max(...first) : Number.NaN;
  return { first, later, allPeersFirst, lost };
}

function figures(target: TargetKind, peers: number, sizes: AiStreamingSizes, records: ReplyRecord[]): AiStreamingRun {
  const per = records.map(delays);
  const tokens = records.reduce((n, r) => n + r.request.emitted.length, 0);
  const cpuMs = records.reduce((n, r) => n + r.cpuMs, 0);
  const gaps = records.flatMap((r) => r.request.emitted.slice(1).map((e, i) => e.at - r.request.emitted[i]!.at));
  const run: AiStreamingRun = {
    target,
    peers,
    replies: records.length,
    tokens: sizes.tokens,
    spacingMs: median(gaps) ?? Number.NaN,
    firstToken: summarize(per.flatMap((d) => d.first)),
    firstTokenAllPeers: summarize(per.map((d) => d.allPeersFirst)),
    laterTokens: summarize(per.flatMap((d) => d.later)),
    lost: per.reduce((n, d) => n + d.lost, 0),
    serverCpuPerTokenUs: tokens > 0 ? (cpuMs * 1000) / tokens : Number.NaN,
  };
  const traced = records.filter((r) => r.server !== undefined).map((r) => delays({ ...r, sightings: [{ arrivals: r.server! }] }));
  if (traced.length > 0) {
    run.intoDocument = { firstToken: summarize(traced.flatMap((d) => d.first)), laterTokens: summarize(traced.flatMap((d) => d.later)) };
  }
  const updates = records.map((r) => r.updates).filter((u): u is number[] => u !== undefined && u.length > 0);
  if (updates.length > 0) {
    run.updatesPerReply = median(updates.map((u) => u.length));
    run.updatesPerSecond = median(updates.map((u) => (u.length * 1000) / Math.max(1, u.at(-1)! - u[0]!)));
    run.peakUpdatesPerSecond = Math.max(...updates.map(peakPerSecond));
  }
  return run;
}

/** Most updates within any one-second window. */
function peakPerSecond(times: number[]): number {
  let peak = 0;
  for (let from = 0, to = 0; to < times.length; to++) {
    while (times[to]! - times[from]! >= 1000) from++;
    peak = Math.max(peak, to - from + 1);
  }
  return peak;
}

function median(values: number[]): number | undefined {
  return values.length === 0 ? undefined : percentile([...values].sort((a, b) => a - b), 50);
}
