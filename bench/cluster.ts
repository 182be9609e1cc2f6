// Two instances against one (issue 8): JunoKit on LevelDB, JunoKit on PostgreSQL, and two
// JunoKit instances sharing PostgreSQL and Redis, so the cost of Redis is told apart from the
// cost of PostgreSQL. Peers are split across the instances; every PostgreSQL setup gets a fresh
// schema, dropped at the end.
//   fan-out     one writer (on the first instance) makes paced edits; N receivers note arrivals
//   throughput  conversations each with one writer and one reader (on the other instance when
//               there are two); writers edit in a closed loop, each waiting for its ack
import { randomBytes } from "node:crypto";
import type * as Y from "yjs";
import { dropSchema, TEST_DATABASE_URL, TEST_REDIS_URL } from "../collab-server/test/support/cluster";
import { closePeers, docAccess, openPeer, openPeers, within, type DocAccess, type Peer } from "./clients";
import { Ledger, paced, watchEdits } from "./fanout";
import { foreignLoad, ownCpuMs, sampleMachine, sampleServices, servicesCpuMs, waitForQuiet } from "./machine";
import { nowMs } from "./protocol";
import { medianRun, summarize, type Summary } from "./samples";
import type { StartTargetOptions, TargetServer } from "./targets";
import { editChunk, editedText, fillConversation, markersIn } from "./workload";

export type ClusterSetup = "level" | "postgres" | "cluster";

export const CLUSTER_SETUPS: readonly ClusterSetup[] = ["level", "postgres", "cluster"];

export const SETUP_LABEL: Record<ClusterSetup, string> = {
  level: "1 × LevelDB",
  postgres: "1 × PostgreSQL",
  cluster: "2 × PostgreSQL + Redis",
};

export interface ClusterSizes {
  /** Fan-out receivers, split across the instances. */
  peers: number[];
  edits: number;
  warmup: number;
  intervalMs: number;
  rounds: number;
  quietWaitMs: number;
  /** Throughput: conversations, each with one closed-loop writer and one reader. */
  conversations: number;
  seconds: number;
}

export interface ClusterFanoutRun {
  setup: ClusterSetup;
  peers: number;
  round: number;
  deliveries: Summary;
  lastPeer: Summary;
  /** Two instances: deliveries to receivers on the other instance than the writer. */
  crossInstance?: Summary;
  lost: number;
  /** JunoKit processes only, summed over instances. */
  serverCpuPerEditUs: number;
  /** Every redis-server and postgres process on the machine (teammates' use included). */
  servicesCpuPerEditUs: number;
  foreignLoad: number;
}

export interface ClusterThroughput {
  setup: ClusterSetup;
  conversations: number;
  seconds: number;
  edits: number;
  /** Edits ÷ (first send → last delivery). */
  editsPerSecond: number;
  /** Edit sent → arrived at its reader, under that load. */
  deliveries: Summary;
  lost: number;
  serverCpuPerEditUs: number;
  servicesCpuPerEditUs: number;
  foreignLoad: number;
}

export interface ClusterResult {
  /** The figure per setup and peer count: the median round by p50, quiet rounds preferred. */
  fanout: ClusterFanoutRun[];
  fanoutRuns: ClusterFanoutRun[];
  throughput: ClusterThroughput[];
}

type Progress = (message: string) => void;
type Start = (options: StartTargetOptions) => Promise<TargetServer>;

/** Markers carry five digits. */
const MAX_EDITS = 99_999;
const CONTENDED = 0.2;
/** The services the PostgreSQL and Redis setups drive; their CPU is theirs, not other work. */
const SERVICES = ["redis-server", "postgres"] as const;

export async function runCluster(start: Start, sizes: ClusterSizes, progress: Progress): Promise<ClusterResult> {
  const schemas = [`junokit_bench_${randomBytes(5).toString("hex")}`, `junokit_bench_${randomBytes(5).toString("hex")}`];
  const secret = randomBytes(32).toString("hex");
  const postgres = (schema: string) => ({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, JWT_SECRET: secret });
  const instances = new Map<ClusterSetup, TargetServer[]>();
  try {
    progress(`two instances vs one · starting ${CLUSTER_SETUPS.map((s) => SETUP_LABEL[s]).join(", ")}`);
    const clustered = { ...postgres(schemas[1]!), REDIS_URL: TEST_REDIS_URL };
    const keep = (setup: ClusterSetup) => (server: TargetServer) => {
      instances.set(setup, [...(instances.get(setup) ?? []), server]);
      return server;
    };
    const starting = [
      start({ label: "junokit-level" }).then(keep("level")),
      start({ label: "junokit-postgres", env: postgres(schemas[0]!) }).then(keep("postgres")),
      // The second instance starts once the first has migrated the shared schema.
      start({ label: "junokit-cluster-a", env: clustered }).then(keep("cluster")).then(() => start({ label: "junokit-cluster-b", env: clustered })).then(keep("cluster")),
    ];
    const started = await Promise.allSettled(starting);
    const refused = started.find((s) => s.status === "rejected");
    if (refused) throw refused.reason;

    const access = new Map<ClusterSetup, DocAccess>();
    for (const setup of CLUSTER_SETUPS) access.set(setup, await docAccess(instances.get(setup)![0]!));

    const fanoutRuns: ClusterFanoutRun[] = [];
    for (let round = 0; round < sizes.rounds; round++) {
      for (const setup of rotate(CLUSTER_SETUPS, round)) {
        for (const peers of sizes.peers) {
          progress(`two instances vs one · fan-out N=${peers} · ${SETUP_LABEL[setup]} · round ${round + 1}/${sizes.rounds}`);
          if (sizes.quietWaitMs > 0) await waitForQuiet(sizes.quietWaitMs);
          fanoutRuns.push(await fanoutRun(setup, instances.get(setup)!, access.get(setup)!, peers, round, sizes));
        }
      }
    }
    const throughput: ClusterThroughput[] = [];
    for (const setup of CLUSTER_SETUPS) {
      progress(`two instances vs one · throughput · ${SETUP_LABEL[setup]} · ${sizes.conversations} writers for ${sizes.seconds} s`);
      if (sizes.quietWaitMs > 0) await waitForQuiet(sizes.quietWaitMs);
      throughput.push(await throughputRun(setup, instances.get(setup)!, access.get(setup)!, sizes));
    }
    return { fanout: chosen(fanoutRuns), fanoutRuns, throughput };
  } finally {
    await Promise.all([...instances.values()].flat().map((t) => t.stop()));
    for (const schema of schemas) await dropSchema(schema).catch((err: unknown) => progress(`could not drop schema ${schema}: ${String(err)}`));
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  return items.map((_, i) => items[(i + by) % items.length]!);
}

/** Resolves once `predicate` holds for `doc` (checked after each update); bounded. */
function untilDoc(doc: Y.Doc, predicate: () => boolean, ms: number, what: string): Promise<void> {
  if (predicate()) return Promise.resolve();
  let check!: () => void;
  const reached = new Promise<void>((resolve) => {
    check = () => predicate() && resolve();
    doc.on("update", check);
  });
  return within(reached, ms, what).finally(() => doc.off("update", check));
}

/** A new conversation holding the one message every edit appends to, written on the first instance. */
async function editedConversation(instances: TargetServer[], access: DocAccess): Promise<{ docName: string; writer: Peer }> {
  const docName = await access.newConversation();
  const writer = openPeer(instances[0]!, docName, access.token);
  await within(writer.synced, 10_000, "writer sync");
  fillConversation(writer.doc, access.author, 1);
  await within(writer.acknowledged(), 10_000, "first message acknowledged");
  return { docName, writer };
}

async function fanoutRun(setup: ClusterSetup, instances: TargetServer[], access: DocAccess, peers: number, round: number, sizes: ClusterSizes): Promise<ClusterFanoutRun> {
  const total = sizes.warmup + sizes.edits;
  const ledger = new Ledger(total, peers, sizes.warmup);
  const remoteCount = instances.length > 1 ? peers - Math.ceil(peers / instances.length) : 0;
  const remote = remoteCount > 0 ? new Ledger(total, remoteCount, sizes.warmup) : undefined;
  const { docName, writer } = await editedConversation(instances, access);
  const all: Peer[] = [writer];
  try {
    // Receiver i goes to instance i mod k: the writer's instance gets the odd one out.
    for (const [j, instance] of instances.entries()) {
      const count = Math.ceil((peers - j) / instances.length);
      const receivers = await openPeers(instance, docName, access.token, count);
      all.push(...receivers);
      for (const r of receivers) {
        await untilDoc(r.doc, () => editedText(r.doc) !== undefined, 10_000, "the edited message at a receiver");
        watchEdits(r.doc, ledger);
        if (j > 0 && remote) watchEdits(r.doc, remote);
      }
    }
    const text = editedText(writer.doc)!;
    const send = (seq: number) => {
      if (remote) remote.sentAt[seq] = ledger.sentAt[seq]!;
      text.insert(text.length, editChunk(seq));
    };
    const window = await paced(instances, ledger, sizes.intervalMs, send, { services: SERVICES });
    return {
      setup,
      peers,
      round,
      ...ledger.result(),
      ...(remote ? { crossInstance: remote.result().deliveries } : {}),
      serverCpuPerEditUs: (window.serverCpuMs * 1000) / total,
      servicesCpuPerEditUs: ((window.servicesCpuMs ?? Number.NaN) * 1000) / total,
      foreignLoad: window.foreignLoad,
    };
  } finally {
    closePeers(all);
  }
}

async function throughputRun(setup: ClusterSetup, instances: TargetServer[], access: DocAccess, sizes: ClusterSizes): Promise<ClusterThroughput> {
  const pairs: { writer: Peer; reader: Peer }[] = [];
  const sentAt: number[] = [];
  const latencies: number[] = [];
  let lastDelivery = 0;
  let sent = 0;
  let writing = true;
  let allDelivered!: () => void;
  const delivered = new Promise<void>((resolve) => (allDelivered = resolve));
  const arrived = new Set<number>();
  const k = instances.length;
  try {
    for (let c = 0; c < sizes.conversations; c++) {
      const { docName, writer } = await editedConversation(rotate(instances, c % k), access);
      const reader = openPeer(instances[(c + 1) % k]!, docName, access.token);
      pairs.push({ writer, reader });
      await within(reader.synced, 10_000, "reader sync");
      await untilDoc(reader.doc, () => editedText(reader.doc) !== undefined, 10_000, "the edited message at a reader");
      // The reader finds each edit's marker in the update bytes: one delivery per edit.
      reader.doc.on("update", (update: Uint8Array) => {
        const at = nowMs();
        for (const seq of markersIn(update)) {
          if (sentAt[seq] === undefined || arrived.has(seq)) continue;
          arrived.add(seq);
          latencies.push(at - sentAt[seq]!);
          lastDelivery = at;
        }
        if (!writing && arrived.size === sent) allDelivered();
      });
    }
    const machineFrom = sampleMachine();
    const clientFrom = ownCpuMs();
    const servicesFrom = sampleServices(SERVICES);
    const cpu = async () => (await Promise.all(instances.map((s) => s.request<number>({ cmd: "cpu" })))).reduce((a, b) => a + b, 0);
    const serverFrom = await cpu();
    const started = nowMs();
    const end = started + sizes.seconds * 1000;
    await Promise.all(
      pairs.map(async ({ writer }) => {
        const text = editedText(writer.doc)!;
        while (nowMs() < end && sent < MAX_EDITS) {
          const seq = sent++;
          sentAt[seq] = nowMs();
          text.insert(text.length, editChunk(seq));
          await within(writer.acknowledged(), 10_000, `ack of edit ${seq}`);
        }
      }),
    );
    writing = false;
    if (arrived.size < sent) await within(delivered, 15_000, "every edit at its reader").catch(() => undefined);
    const serverCpuMs = (await cpu()) - serverFrom;
    const servicesMs = servicesCpuMs(servicesFrom, sampleServices(SERVICES));
    const elapsed = lastDelivery - started;
    return {
      setup,
      conversations: sizes.conversations,
      seconds: sizes.seconds,
      edits: sent,
      editsPerSecond: elapsed > 0 ? (arrived.size * 1000) / elapsed : Number.NaN,
      deliveries: summarize(latencies),
      lost: sent - arrived.size,
      serverCpuPerEditUs: sent > 0 ? (serverCpuMs * 1000) / sent : Number.NaN,
      servicesCpuPerEditUs: sent > 0 ? (servicesMs * 1000) / sent : Number.NaN,
      foreignLoad: foreignLoad(machineFrom, sampleMachine(), serverCpuMs + servicesMs + ownCpuMs() - clientFrom),
    };
  } finally {
    closePeers(pairs.flatMap((p) => [p.writer, p.reader]));
  }
}

function chosen(runs: ClusterFanoutRun[]): ClusterFanoutRun[] {
  const out: ClusterFanoutRun[] = [];
  for (const setup of CLUSTER_SETUPS) {
    for (const peers of new Set(runs.map((r) => r.peers))) {
      const all = runs.filter((r) => r.setup === setup && r.peers === peers);
      const quiet = all.filter((r) => !(r.foreignLoad > CONTENDED));
      const run = medianRun(quiet.length > 0 ? quiet : all, (r) => r.deliveries.p50);
      if (run) out.push(run);
    }
  }
  return out;
}
