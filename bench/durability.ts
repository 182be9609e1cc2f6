// From acknowledgement to disk: a client makes edits one at a time and notes when the server
// acknowledges each (the provider reports no unsynced changes). JunoKit's server notes when
// the store append of each edit resolved; after every ack, an independent read of the store
// checks the edit is there. Bare Hocuspocus gives the edit → ack baseline (it stores nothing).
import { docAccess, openPeer, within } from "./clients";
import { nowMs, TARGET_LABEL, type TargetKind } from "./protocol";
import { summarize, type Summary } from "./samples";
import type { TargetServer } from "./targets";
import { editChunk, editedText, fillConversation, markerOf } from "./workload";

export interface DurabilitySizes {
  edits: number;
}

export interface DurabilityResult {
  target: TargetKind;
  edits: number;
  /** Edit sent → server's acknowledgement received. */
  ack: Summary;
  /** JunoKit: store append resolved − ack received; negative = on disk before the ack. */
  diskMinusAck?: Summary;
  /** JunoKit: edits found by a store read made right after their ack. */
  visibleAtAck?: number;
  /** JunoKit: edits the store never reported appending. */
  missing?: number;
}

type Progress = (message: string) => void;

export async function runDurability(target: TargetServer, sizes: DurabilitySizes, progress: Progress): Promise<DurabilityResult> {
  progress(`ack → disk · ${TARGET_LABEL[target.kind]} · ${sizes.edits} edits`);
  const access = await docAccess(target);
  const docName = await access.newConversation();
  const writer = openPeer(target, docName, access.token);
  const ackAt: number[] = [];
  const ackLatency: number[] = [];
  let visible = 0;
  try {
    await within(writer.synced, 10_000, "writer sync");
    fillConversation(writer.doc, access.author, 1);
    await within(writer.acknowledged(), 10_000, "first message acknowledged");
    const text = editedText(writer.doc)!;
    for (let seq = 0; seq < sizes.edits; seq++) {
      const sent = nowMs();
      text.insert(text.length, editChunk(seq));
      await within(writer.acknowledged(), 10_000, `ack of edit ${seq}`);
      ackAt[seq] = nowMs();
      ackLatency.push(ackAt[seq]! - sent);
      if (target.kind === "junokit" && (await target.request<boolean>({ cmd: "storeHas", doc: docName, marker: markerOf(seq) }))) visible++;
    }
  } finally {
    writer.destroy();
  }
  const result: DurabilityResult = { target: target.kind, edits: sizes.edits, ack: summarize(ackLatency) };
  if (target.kind !== "junokit") return result;
  const appended = new Map(await target.request<[number, number][]>({ cmd: "appendTimes" }));
  const deltas = ackAt.flatMap((ack, seq) => (appended.has(seq) ? [appended.get(seq)! - ack] : []));
  return { ...result, diskMinusAck: summarize(deltas), visibleAtAck: visible, missing: sizes.edits - deltas.length };
}
