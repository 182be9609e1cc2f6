// Server memory per idle connection and per loaded document: RSS and heap of the target's own
// process (after forced GCs) with a warm base, then again with `count` more; delta ÷ count.
import { closePeers, closeRawPeers, docAccess, openDocuments, openPeers, openRawPeers, openSockets } from "./clients";
import { TARGET_LABEL, type MemoryReading, type TargetKind } from "./protocol";
import type { TargetServer } from "./targets";
import { fillConversation, messageCount } from "./workload";

export interface MemorySizes {
  connections: number;
  documents: number;
  messagesPerDocument: number;
  /** Warm base: connections / documents already open at the first reading. */
  base: number;
  /** Idle time before a reading, so handshakes and timers have settled. */
  settleMs: number;
  /** Forced GCs (50 ms apart) before each reading. */
  gcs: number;
}

export interface MemoryResult {
  target: TargetKind;
  count: number;
  before: MemoryReading;
  after: MemoryReading;
  rssPerItem: number;
  heapPerItem: number;
}

type Progress = (message: string) => void;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits `settleMs`, then until the server has stopped working in the background (JunoKit
 * keeps the workspace index and search in step after a burst of writes): its CPU time grows
 * by under 2 % of a core per interval (250 ms, less for tiny runs) twice in a row. Bounded at 20 s.
 */
async function settle(target: TargetServer, settleMs: number): Promise<void> {
  await pause(settleMs);
  const interval = Math.max(50, Math.min(250, settleMs));
  const deadline = Date.now() + 20_000;
  let quiet = 0;
  let cpu = await target.request<number>({ cmd: "cpu" });
  while (quiet < 2 && Date.now() < deadline) {
    await pause(interval);
    const now = await target.request<number>({ cmd: "cpu" });
    quiet = now - cpu < interval * 0.02 ? quiet + 1 : 0;
    cpu = now;
  }
}

function perItem(target: TargetKind, count: number, before: MemoryReading, after: MemoryReading): MemoryResult {
  return { target, count, before, after, rssPerItem: (after.rss - before.rss) / count, heapPerItem: (after.heapUsed - before.heapUsed) / count };
}

/** Idle connections to one document (raw ws: idle sockets). */
export async function measureConnections(target: TargetServer, sizes: MemorySizes, progress: Progress): Promise<MemoryResult> {
  const label = TARGET_LABEL[target.kind];
  progress(`memory per connection · ${label} · ${sizes.connections} idle connections`);
  const read = () => target.request<MemoryReading>({ cmd: "memory", gcs: sizes.gcs });
  if (target.kind === "raw") {
    const base = await openRawPeers(target, sizes.base);
    await settle(target, sizes.settleMs);
    const before = await read();
    const more = await openRawPeers(target, sizes.connections);
    await settle(target, sizes.settleMs);
    const after = await read();
    closeRawPeers([...base, ...more]);
    return perItem(target.kind, sizes.connections, before, after);
  }
  const access = await docAccess(target);
  const docName = await access.newConversation();
  const base = await openPeers(target, docName, access.token, sizes.base);
  await settle(target, sizes.settleMs);
  const before = await read();
  const more = await openPeers(target, docName, access.token, sizes.connections);
  await settle(target, sizes.settleMs);
  const after = await read();
  closePeers([...base, ...more]);
  return perItem(target.kind, sizes.connections, before, after);
}

/**
 * Loaded documents of `messagesPerDocument` messages, each open through one provider on a few
 * shared sockets (raw ws column: the same documents as plain Y.Docs in a process, pure Yjs).
 */
export async function measureDocuments(target: TargetServer, sizes: MemorySizes, progress: Progress): Promise<MemoryResult> {
  const label = target.kind === "raw" ? "pure Yjs" : TARGET_LABEL[target.kind];
  progress(`memory per document · ${label} · ${sizes.documents} documents of ${sizes.messagesPerDocument} messages`);
  const read = () => target.request<MemoryReading>({ cmd: "memory", gcs: sizes.gcs });
  if (target.kind === "raw") {
    await target.request({ cmd: "pureDocs", count: sizes.base, messages: sizes.messagesPerDocument });
    const before = await read();
    await target.request({ cmd: "pureDocs", count: sizes.documents, messages: sizes.messagesPerDocument });
    const after = await read();
    return perItem(target.kind, sizes.documents, before, after);
  }
  const access = await docAccess(target);
  const names: string[] = [];
  for (let i = 0; i < sizes.base + sizes.documents; i++) names.push(await access.newConversation());
  const fill = (doc: Parameters<typeof fillConversation>[0]) => fillConversation(doc, access.author, sizes.messagesPerDocument);
  const sockets = openSockets(target, Math.max(1, Math.min(10, sizes.base)));
  const base = await openDocuments(sockets, names.slice(0, sizes.base), access.token, fill);
  await settle(target, sizes.settleMs);
  const before = await read();
  const more = await openDocuments(sockets, names.slice(sizes.base), access.token, fill);
  await settle(target, sizes.settleMs);
  const after = await read();
  const loaded = await target.request<number>({ cmd: "documents" });
  if (loaded < sizes.base + sizes.documents) throw new Error(`${label}: only ${loaded} documents loaded`);
  // Every document must hold just what the bench wrote (no AI replies, no lost writes).
  const odd = [...base, ...more].filter((p) => messageCount(p.document) !== sizes.messagesPerDocument).length;
  if (odd > 0) throw new Error(`${label}: ${odd} documents do not hold exactly ${sizes.messagesPerDocument} messages`);
  for (const provider of [...base, ...more]) provider.destroy();
  for (const socket of sockets) socket.destroy();
  return perItem(target.kind, sizes.documents, before, after);
}
