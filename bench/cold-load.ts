// Load of a 1,000-message conversation: connect → synced for a new client. Cold: the server
// has the document unloaded (JunoKit reads it from LevelDB; bare Hocuspocus applies an
// in-memory snapshot in onLoadDocument). Warm: another client keeps the document loaded.
import * as Y from "yjs";
import { docAccess, openPeer, untilServer, within } from "./clients";
import { nowMs, TARGET_LABEL, type TargetKind } from "./protocol";
import { summarize, type Summary } from "./samples";
import type { TargetServer } from "./targets";
import { fillConversation, messageCount, type Author } from "./workload";

export interface LoadSizes {
  messages: number;
  runs: number;
}

export interface LoadResult {
  target: TargetKind;
  messages: number;
  cold: Summary;
  warm: Summary;
  /** Bytes of the document state a client receives. */
  stateBytes: number;
}

type Progress = (message: string) => void;

async function seed(target: TargetServer, docName: string, token: string, author: Author, messages: number): Promise<number> {
  if (target.kind === "bare") {
    const doc = new Y.Doc();
    fillConversation(doc, author, messages);
    const update = Y.encodeStateAsUpdate(doc);
    await target.request({ cmd: "seed", doc: docName, update });
    return update.length;
  }
  // JunoKit: through a real client, one update per message, into LevelDB (compacted as it goes).
  const writer = openPeer(target, docName, token);
  await within(writer.synced, 10_000, "seeding client sync");
  fillConversation(writer.doc, author, messages);
  await within(writer.acknowledged(), 60_000, "seed acknowledged");
  const bytes = Y.encodeStateAsUpdate(writer.doc).length;
  writer.destroy();
  return bytes;
}

async function timeLoad(target: TargetServer, docName: string, token: string, messages: number): Promise<number> {
  const start = nowMs();
  const peer = openPeer(target, docName, token);
  try {
    await within(peer.synced, 30_000, "load");
    const elapsed = nowMs() - start;
    const got = messageCount(peer.doc);
    if (got !== messages) throw new Error(`loaded ${got} of ${messages} messages`);
    return elapsed;
  } finally {
    peer.destroy();
  }
}

const unloaded = (target: TargetServer, doc: string) => async () => !(await target.request<boolean>({ cmd: "isLoaded", doc }));

export async function runColdLoad(target: TargetServer, sizes: LoadSizes, progress: Progress): Promise<LoadResult> {
  const label = TARGET_LABEL[target.kind];
  const access = await docAccess(target);
  const docName = await access.newConversation();
  progress(`cold load · ${label} · seeding ${sizes.messages} messages`);
  const stateBytes = await seed(target, docName, access.token, access.author, sizes.messages);
  await untilServer(unloaded(target, docName), 30_000, "document unloaded after seeding");

  // One untimed load first, so neither process's JIT warm-up lands in the first timed run.
  await timeLoad(target, docName, access.token, sizes.messages);
  await untilServer(unloaded(target, docName), 30_000, "document unloaded");
  const cold: number[] = [];
  for (let run = 0; run < sizes.runs; run++) {
    progress(`cold load · ${label} · run ${run + 1}/${sizes.runs}`);
    cold.push(await timeLoad(target, docName, access.token, sizes.messages));
    await untilServer(unloaded(target, docName), 30_000, "document unloaded");
  }

  progress(`warm load · ${label}`);
  const holder = openPeer(target, docName, access.token);
  const warm: number[] = [];
  try {
    await within(holder.synced, 30_000, "holder sync");
    for (let run = 0; run < sizes.runs; run++) warm.push(await timeLoad(target, docName, access.token, sizes.messages));
  } finally {
    holder.destroy();
  }
  return { target: target.kind, messages: sizes.messages, cold: summarize(cold), warm: summarize(warm), stateBytes };
}
