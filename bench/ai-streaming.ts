// AI streaming (issue 4, DESIGN.md §8): a scripted OpenAI-compatible endpoint (its own process)
// emits a reply token by token at a fixed spacing; 1, 10 or 100 peers (in a process of their
// own, peers-host.ts) watch it arrive. Delay = the frame carrying token k reaching a peer's
// socket − the endpoint writing token k, both in hrtime ms (CLOCK_MONOTONIC, one clock for every
// process on the host). Server CPU is read inside each target process (process.cpuUsage).
//   raw ws           the server reads the stream and sends each token to every socket
//   bare Hocuspocus  a direct connection writes one transaction per token
//   JunoKit          a person's message in an AI conversation; the AI peer answers it
import { docAccess, type DocAccess } from "./clients";
import type { Endpoint } from "./ai-endpoint";
import { TARGET_LABEL, type AiReplyReport, type Arrival, type Command, type PeerReply, type RelayResult, type ReplyTraceResult, type TargetKind, type UpstreamRequest } from "./protocol";
import { foreignLoad, ownCpuMs, sampleMachine } from "./machine";
import { percentile, summarize, type Summary } from "./samples";
import { startChild, type TargetServer } from "./targets";

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
  /** The server process's CPU from the prompt until the reply is done at every peer, ÷ tokens. */
  serverCpuPerTokenUs: number;
  /** The server process's CPU from passing on the first token to passing on the last, ÷ the tokens in between. */
  streamingCpuPerTokenUs: number;
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

/** One reply, as the endpoint wrote it and as every peer saw it. */
interface ReplyRecord {
  request: UpstreamRequest;
  sightings: Arrival[][];
  /** The reply's growth in the server's copy of the document. */
  server?: Arrival[];
  cpuMs: number;
  /** Server CPU from passing on the first token to passing on the last (ms). */
  streamingCpuMs: number;
  updates?: number[];
}

/** What the peers process answers to peersSettle. */
interface Settled {
  sightings: Arrival[][];
  updates?: number[];
}

/** The peers' process (peers-host.ts). */
interface Peers {
  request<T>(command: Command, timeoutMs?: number): Promise<T>;
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
  run = `s${++scenarioRuns}`;
  const peers = await startChild("peers");
  try {
    const runs: AiStreamingRun[] = [];
    const order = [...targets.keys()];
    const othersCpu = async (target: TargetServer) =>
      ownCpuMs() + (await target.request<number>({ cmd: "cpu" })) + (await endpoint.cpuMs()) + (await peers.request<number>({ cmd: "cpu" }));
    for (const [i, count] of sizes.peers.entries()) {
      // Rotate the order per peer count, so a drifting machine load favours no target.
      for (const kind of order.map((_, k) => order[(k + i) % order.length]!)) {
        const target = targets.get(kind)!;
        const label = `AI streaming N=${count} · ${TARGET_LABEL[kind]}`;
        const machineFrom = sampleMachine();
        const ownFrom = await othersCpu(target);
        const run =
          kind === "raw" ? await rawRun(target, endpoint, peers, count, sizes, label, progress)
          : kind === "bare" ? await bareRun(target, endpoint, peers, count, sizes, label, progress)
          : await junoRun(target, endpoint, peers, count, sizes, label, progress);
        const own = (await othersCpu(target)) - ownFrom;
        runs.push({ ...run, foreignLoad: foreignLoad(machineFrom, sampleMachine(), own) });
      }
    }
    const raw = targets.get("raw");
    return { runs, ...(raw ? { streamReadCpuPerTokenUs: await streamReadRun(raw, endpoint, sizes, progress) } : {}) };
  } finally {
    await peers.stop();
  }
}

async function streamReadRun(target: TargetServer, endpoint: Endpoint, sizes: AiStreamingSizes, progress: Progress): Promise<number> {
  let cpuMs = 0;
  let tokens = 0;
  for (let r = 0; r <= sizes.replies; r++) {
    progress(`AI streaming · ${TARGET_LABEL[target.kind]} reading the stream with no peers · reply ${r + 1}/${sizes.replies + 1}`);
    const prompt = `bench-read-${run}-r${r}.`;
    await script(endpoint, prompt, sizes);
    const cpuFrom = await target.request<number>({ cmd: "cpu" });
    const read = await target.request<RelayResult>({ cmd: "relay", url: endpoint.baseUrl, prompt }, replyDeadline(sizes));
    const used = (await target.request<number>({ cmd: "cpu" })) - cpuFrom;
    if (r > 0) {
      cpuMs += used;
      tokens += read.tokens;
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

/** Prompts are matched at the endpoint by their text: each run of the scenario gets its own. */
let scenarioRuns = 0;
let run = "";

const relayCpu = (relay: RelayResult) => relay.cpuAtLastMs - relay.cpuAtFirstMs;

/**
 * BENCH_AI_PROFILE=<dir>: a V8 CPU profile of the server over the measured replies (after the
 * warm-up) of each target and N, written to <dir>/ai-<target>-n<N>.cpuprofile.
 */
async function profileReplies(target: TargetServer, count: number, reply: number): Promise<void> {
  const dir = process.env.BENCH_AI_PROFILE;
  if (!dir) return;
  if (reply === 1) await target.request({ cmd: "profile", action: "start" });
  else if (reply === -1) await target.request({ cmd: "profile", action: "stop", file: `${dir}/ai-${target.kind}-n${count}.cpuprofile` });
}

async function rawRun(target: TargetServer, endpoint: Endpoint, peers: Peers, count: number, sizes: AiStreamingSizes, label: string, progress: Progress): Promise<AiStreamingRun> {
  await peers.request({ cmd: "peersOpen", wsUrl: target.wsUrl, count, wave: 50 });
  const records: ReplyRecord[] = [];
  try {
    for (let r = 0; r <= sizes.replies; r++) {
      progress(`${label} · reply ${r + 1}/${sizes.replies + 1}${r === 0 ? " (warm-up)" : ""}`);
      await profileReplies(target, count, r);
      const prompt = `bench-raw-${run}-n${count}-r${r}.`;
      await script(endpoint, prompt, sizes);
      await peers.request({ cmd: "peersWatch", replyTo: prompt });
      const cpuFrom = await target.request<number>({ cmd: "cpu" });
      const relay = await target.request<RelayResult>({ cmd: "relay", url: endpoint.baseUrl, prompt }, replyDeadline(sizes));
      const seen = await peers.request<Settled>({ cmd: "peersSettle", timeoutMs: 10_000 });
      const cpuMs = (await target.request<number>({ cmd: "cpu" })) - cpuFrom;
      if (r > 0) records.push({ request: await written(endpoint, prompt, sizes), sightings: seen.sightings, cpuMs, streamingCpuMs: relayCpu(relay) });
    }
    await profileReplies(target, count, -1);
  } finally {
    await peers.request({ cmd: "peersClose" });
  }
  return figures("raw", count, sizes, records);
}

async function bareRun(target: TargetServer, endpoint: Endpoint, peers: Peers, count: number, sizes: AiStreamingSizes, label: string, progress: Progress): Promise<AiStreamingRun> {
  const access = await docAccess(target);
  const doc = await access.newConversation();
  await peers.request({ cmd: "peersOpen", wsUrl: target.wsUrl, count, wave: 50, doc, token: access.token });
  const records: ReplyRecord[] = [];
  try {
    for (let r = 0; r <= sizes.replies; r++) {
      progress(`${label} · reply ${r + 1}/${sizes.replies + 1}${r === 0 ? " (warm-up)" : ""}`);
      await profileReplies(target, count, r);
      const prompt = `bench-bare-${run}-n${count}-r${r}.`;
      await script(endpoint, prompt, sizes);
      await peers.request({ cmd: "peersWatch", replyTo: prompt, countUpdates: true });
      await target.request({ cmd: "traceReply", doc, replyTo: prompt });
      const cpuFrom = await target.request<number>({ cmd: "cpu" });
      const relay = await target.request<RelayResult>({ cmd: "relay", url: endpoint.baseUrl, prompt, doc, replyId: `reply-${prompt}` }, replyDeadline(sizes));
      const seen = await peers.request<Settled>({ cmd: "peersSettle", timeoutMs: 10_000 });
      const cpuMs = (await target.request<number>({ cmd: "cpu" })) - cpuFrom;
      const server = (await target.request<ReplyTraceResult>({ cmd: "replyTrace" })).arrivals;
      if (r > 0) {
        records.push({ request: await written(endpoint, prompt, sizes), sightings: seen.sightings, server, cpuMs, streamingCpuMs: relayCpu(relay), ...(seen.updates ? { updates: seen.updates } : {}) });
      }
    }
    await profileReplies(target, count, -1);
  } finally {
    await peers.request({ cmd: "peersClose" });
  }
  return figures("bare", count, sizes, records);
}

async function junoRun(target: TargetServer, endpoint: Endpoint, peers: Peers, count: number, sizes: AiStreamingSizes, label: string, progress: Progress): Promise<AiStreamingRun> {
  const access = await docAccess(target);
  // A fresh conversation per peer count, so every count starts from the same prompt size.
  const doc = await access.newConversation();
  await peers.request({ cmd: "peersOpen", wsUrl: target.wsUrl, count, wave: 50, doc, token: access.token });
  const records: ReplyRecord[] = [];
  const asked: string[] = [];
  const overhead: number[] = [];
  const quick: string[] = [];
  try {
    for (let r = 0; r <= sizes.replies; r++) {
      progress(`${label} · reply ${r + 1}/${sizes.replies + 1}${r === 0 ? " (warm-up)" : ""}`);
      await profileReplies(target, count, r);
      const prompt = `bench-junokit-${run}-n${count}-r${r}.`;
      await script(endpoint, prompt, sizes);
      const id = `q-n${count}-r${r}`;
      await peers.request({ cmd: "peersWatch", replyTo: id, countUpdates: true });
      await target.request({ cmd: "traceReply", doc, replyTo: id });
      const cpuFrom = await target.request<number>({ cmd: "cpu" });
      await say(peers, access, id, prompt);
      const seen = await peers.request<Settled>({ cmd: "peersSettle", timeoutMs: replyDeadline(sizes) }, replyDeadline(sizes) + 5_000);
      const cpuMs = (await target.request<number>({ cmd: "cpu" })) - cpuFrom;
      const trace = await target.request<ReplyTraceResult>({ cmd: "replyTrace" });
      await expectReply(peers, id, replyText(sizes.tokens));
      if (r > 0) {
        // From the first token into the document to the last (the write that ends the reply).
        const streamingCpuMs = trace.cpuAtEndMs - trace.cpuAtFirstMs;
        records.push({ request: await written(endpoint, prompt, sizes), sightings: seen.sightings, server: trace.arrivals, cpuMs, streamingCpuMs, ...(seen.updates ? { updates: seen.updates } : {}) });
        asked.push(id);
      }
    }
    await profileReplies(target, count, -1);
    // App overhead: short replies, one at a time, person's message → the endpoint's request.
    for (let i = 0; i < sizes.overheadPrompts; i++) {
      if (i % 10 === 0) progress(`${label} · message → request ${i + 1}–${Math.min(i + 10, sizes.overheadPrompts)}/${sizes.overheadPrompts}`);
      const prompt = `bench-quick-${run}-n${count}-${i}.`;
      await endpoint.script(prompt, "ok", 0);
      const id = `quick-n${count}-${i}`;
      await peers.request({ cmd: "peersWatch", replyTo: id, peers: 1 });
      const sentAt = await say(peers, access, id, prompt);
      const request = await endpoint.request(prompt, { ended: false, timeoutMs: 30_000 });
      overhead.push(request.receivedAt - sentAt);
      await peers.request<Settled>({ cmd: "peersSettle", timeoutMs: 30_000 });
      quick.push(id);
    }
  } finally {
    await peers.request({ cmd: "peersClose" });
  }
  const reports = await target.request<AiReplyReport[]>({ cmd: "aiReplies" });
  const reportOf = (id: string) => reports.find((r) => r.replyTo === id);
  const writes = asked.map((id) => reportOf(id)?.writes).filter((w): w is number => w !== undefined);
  const inServer = quick.map((id) => reportOf(id)?.startMs).filter((s): s is number => s !== undefined);
  return {
    ...figures("junokit", count, sizes, records),
    writesPerReply: median(writes),
    overhead: summarize(overhead),
    overheadInServer: summarize(inServer),
  };
}

/** A person's message, written by peer 0 (as the app does); resolves to when it was appended. */
function say(peers: Peers, access: DocAccess, id: string, text: string): Promise<number> {
  return peers.request<number>({ cmd: "peersSay", messageId: id, text, author: access.author });
}

async function expectReply(peers: Peers, replyTo: string, expected: string): Promise<void> {
  const reply = await peers.request<PeerReply | null>({ cmd: "peersReply", replyTo });
  if (reply?.status !== "done" || reply.text !== expected) {
    throw new Error(`the AI's reply to ${replyTo} is ${reply ? `${reply.status} (${reply.error ?? `${reply.text.length} of ${expected.length} characters`})` : "missing"}`);
  }
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
      while (cursors[p]! < s.length && s[cursors[p]!]!.length < offset) cursors[p]!++;
      const hit = s[cursors[p]!];
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
  const streamingCpuMs = records.reduce((n, r) => n + r.streamingCpuMs, 0);
  const between = records.reduce((n, r) => n + r.request.emitted.length - 1, 0);
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
    streamingCpuPerTokenUs: between > 0 ? (streamingCpuMs * 1000) / between : Number.NaN,
  };
  const traced = records.filter((r) => r.server !== undefined).map((r) => delays({ ...r, sightings: [r.server!] }));
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
