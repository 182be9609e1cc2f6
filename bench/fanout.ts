// Edit fan-out: one writer makes paced small edits; every peer (all in this process) notes
// when each edit arrives. Latency = arrival − the writer's send, per delivery and to the last peer.
import * as Y from "yjs";
import { closePeers, closeRawPeers, docAccess, openPeer, openPeers, openRawPeers, within, type DocAccess, type Peer } from "./clients";
import { foreignLoad, ownCpuMs, sampleMachine, sampleServices, servicesCpuMs, waitForQuiet } from "./machine";
import { nowMs, TARGET_LABEL, type TargetKind } from "./protocol";
import { summarize, type Summary } from "./samples";
import type { TargetServer } from "./targets";
import { EDIT_CHARS, editChunk, editedText, fillConversation } from "./workload";

export interface FanoutSizes {
  peers: number[];
  /** Measured edits per run (after the warm-up ones). */
  edits: number;
  warmup: number;
  intervalMs: number;
  rounds: number;
  /** Longest wait for a quiet machine before a run (0: don't wait). */
  quietWaitMs: number;
}

export interface FanoutOptions {
  /** Write a CPU profile of each server covering just the edits (latencies then include its cost). */
  profileDir?: string;
}

export interface FanoutRun {
  target: TargetKind;
  peers: number;
  round: number;
  deliveries: Summary;
  lastPeer: Summary;
  /** Deliveries that never arrived within the deadline. */
  lost: number;
  serverCpuPerEditUs: number;
  /** Share of the machine used by other work during the run (0..1). */
  foreignLoad: number;
}

type Progress = (message: string) => void;

/** Delivery bookkeeping shared by the raw and the Hocuspocus variants (and the cluster scenario). */
export class Ledger {
  readonly sentAt: number[] = [];
  private readonly latencies: number[] = [];
  private readonly last: number[] = [];
  private readonly arrived: number[] = [];
  private done!: () => void;
  readonly complete = new Promise<void>((resolve) => (this.done = resolve));

  constructor(readonly total: number, readonly receivers: number, readonly warmup: number) {}

  arrive(seq: number, at: number): void {
    const sent = this.sentAt[seq];
    if (sent === undefined) return;
    if (seq >= this.warmup) this.latencies.push(at - sent);
    this.last[seq] = Math.max(this.last[seq] ?? 0, at - sent);
    this.arrived[seq] = (this.arrived[seq] ?? 0) + 1;
    if (seq === this.total - 1 && this.arrived[seq] === this.receivers) this.done();
  }

  result() {
    const measured = this.last.slice(this.warmup).filter((v) => v !== undefined);
    const expected = (this.total - this.warmup) * this.receivers;
    return { deliveries: summarize(this.latencies), lastPeer: summarize(measured), lost: expected - this.latencies.length };
  }
}

export interface RunWindow {
  serverCpuMs: number;
  foreignLoad: number;
  /** CPU of the named services (Redis, PostgreSQL) in the window, when asked for. */
  servicesCpuMs?: number;
}

export interface PacedOptions {
  profileFile?: string;
  /** Command names of services the servers drive: their CPU is reported, and not counted as other work. */
  services?: readonly string[];
}

/**
 * Sends edit `seq` at start + seq × interval (open loop: a slow server builds a queue), then
 * waits (bounded) for the last edit everywhere. Server CPU (summed over `servers`) and machine
 * load cover just this; a profile covers the first server.
 */
export async function paced(servers: readonly TargetServer[], ledger: Ledger, intervalMs: number, send: (seq: number) => void, options: PacedOptions = {}): Promise<RunWindow> {
  const { profileFile, services } = options;
  const target = servers[0]!;
  const cpu = async () => (await Promise.all(servers.map((s) => s.request<number>({ cmd: "cpu" })))).reduce((a, b) => a + b, 0);
  if (profileFile) await target.request({ cmd: "profile", action: "start" });
  const machineFrom = sampleMachine();
  const clientFrom = ownCpuMs();
  const servicesFrom = services ? sampleServices(services) : new Map<number, number>();
  const serverFrom = await cpu();
  const start = nowMs();
  for (let seq = 0; seq < ledger.total; seq++) {
    const wait = start + seq * intervalMs - nowMs();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    ledger.sentAt[seq] = nowMs();
    send(seq);
  }
  await within(ledger.complete, 10_000, "fan-out").catch(() => undefined);
  const serverCpuMs = (await cpu()) - serverFrom;
  if (profileFile) await target.request({ cmd: "profile", action: "stop", file: profileFile });
  const servicesMs = services ? servicesCpuMs(servicesFrom, sampleServices(services)) : 0;
  return {
    serverCpuMs,
    foreignLoad: foreignLoad(machineFrom, sampleMachine(), serverCpuMs + servicesMs + ownCpuMs() - clientFrom),
    ...(services ? { servicesCpuMs: servicesMs } : {}),
  };
}

async function rawRun(target: TargetServer, peers: number, sizes: FanoutSizes, profileFile?: string): Promise<[Ledger, RunWindow]> {
  const ledger = new Ledger(sizes.warmup + sizes.edits, peers, sizes.warmup);
  const [writer, ...receivers] = await openRawPeers(target, peers + 1);
  try {
    for (const r of receivers) r.socket.on("message", (data: Buffer) => ledger.arrive(data.readUInt32LE(0), nowMs()));
    const frame = Buffer.alloc(30);
    const window = await paced([target], ledger, sizes.intervalMs, (seq) => {
      frame.writeUInt32LE(seq, 0);
      writer!.socket.send(frame);
    }, profileFile ? { profileFile } : {});
    return [ledger, window];
  } finally {
    closeRawPeers([writer!, ...receivers]);
  }
}

async function hocuspocusRun(
  target: TargetServer,
  access: DocAccess,
  peers: number,
  sizes: FanoutSizes,
  profileFile?: string,
): Promise<[Ledger, RunWindow]> {
  const ledger = new Ledger(sizes.warmup + sizes.edits, peers, sizes.warmup);
  const docName = await access.newConversation();
  const writer = openPeer(target, docName, access.token);
  const all: Peer[] = [writer];
  try {
    await within(writer.synced, 10_000, "writer sync");
    fillConversation(writer.doc, access.author, 1);
    await within(writer.acknowledged(), 10_000, "first message acknowledged");
    const receivers = await openPeers(target, docName, access.token, peers);
    all.push(...receivers);
    for (const r of receivers) watchEdits(r.doc, ledger);
    const text = editedText(writer.doc)!;
    const window = await paced([target], ledger, sizes.intervalMs, (seq) => text.insert(text.length, editChunk(seq)), profileFile ? { profileFile } : {});
    return [ledger, window];
  } finally {
    closePeers(all);
  }
}

/** Edit k makes the text 300 + 20(k+1) long; every edit up to the current length has arrived. */
export function watchEdits(doc: Y.Doc, ledger: Ledger): void {
  const text = editedText(doc);
  if (!text) throw new Error("the edited message did not sync");
  const base = text.length;
  let seen = -1;
  doc.on("update", () => {
    const upTo = Math.floor((text.length - base) / EDIT_CHARS) - 1;
    if (upTo <= seen) return;
    const at = nowMs();
    for (let seq = seen + 1; seq <= upTo; seq++) ledger.arrive(seq, at);
    seen = upTo;
  });
}

export async function runFanout(
  targets: Map<TargetKind, TargetServer>,
  sizes: FanoutSizes,
  progress: Progress,
  options: FanoutOptions = {},
): Promise<FanoutRun[]> {
  const runs: FanoutRun[] = [];
  const access = new Map<TargetKind, DocAccess>();
  const order = [...targets.keys()];
  for (let round = 0; round < sizes.rounds; round++) {
    // Rotate the order each round, so a drifting machine load favours no target.
    const rotated = order.map((_, i) => order[(i + round) % order.length]!);
    for (const kind of rotated) {
      const target = targets.get(kind)!;
      if (kind !== "raw" && !access.has(kind)) access.set(kind, await docAccess(target));
      for (const peers of sizes.peers) {
        progress(`fan-out N=${peers} · ${TARGET_LABEL[kind]} · round ${round + 1}/${sizes.rounds}`);
        if (sizes.quietWaitMs > 0) await waitForQuiet(sizes.quietWaitMs);
        const profile = options.profileDir && `${options.profileDir}/fanout-${kind}-N${peers}-round${round + 1}.cpuprofile`;
        const [ledger, window] =
          kind === "raw" ? await rawRun(target, peers, sizes, profile || undefined) : await hocuspocusRun(target, access.get(kind)!, peers, sizes, profile || undefined);
        runs.push({
          target: kind,
          peers,
          round,
          ...ledger.result(),
          serverCpuPerEditUs: (window.serverCpuMs * 1000) / ledger.total,
          foreignLoad: window.foreignLoad,
        });
      }
    }
  }
  return runs;
}
