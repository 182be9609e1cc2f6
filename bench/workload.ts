// The documents the bench writes: conversations of 300-character messages (the size
// research/performance.md uses) and small text appends that carry a findable marker.
import { appendMessage, messageList, messageText, writeMeta } from "@junokit/doc-model";
import type * as Y from "yjs";

export interface Author {
  id: string;
  name: string;
}

const FILLER = "The quick brown fox jumps over the lazy dog while the team ships the release. ";

/** A deterministic 300-character message body. */
export function messageBody(index: number): string {
  const head = `#${index} `;
  return (head + FILLER.repeat(5)).slice(0, 300);
}

/**
 * Switches the AI off (its replies are a workload of their own, outside this bench) and then
 * appends `count` messages, one transaction each (as people post them).
 */
export function fillConversation(doc: Y.Doc, author: Author, count: number): void {
  writeMeta(doc, { ai: "off" });
  for (let i = 0; i < count; i++) {
    appendMessage(doc, {
      id: `m${i}`,
      role: "user",
      authorId: author.id,
      authorName: author.name,
      createdAt: 1_700_000_000_000 + i * 1000,
      text: messageBody(i),
    });
  }
}

export function messageCount(doc: Y.Doc): number {
  return messageList(doc).length;
}

/** The Y.Text of the first message: the one every edit appends to. */
export function editedText(doc: Y.Doc): Y.Text | undefined {
  const first = messageList(doc).get(0);
  return first ? messageText(first) : undefined;
}

/** Every edit appends exactly this many characters. */
export const EDIT_CHARS = 20;

/** The 20 characters of edit `seq`; the marker `~e00042~` lets the store be searched for it. */
export function editChunk(seq: number): string {
  return (`${markerOf(seq)} edit text...........`).slice(0, EDIT_CHARS);
}

export function markerOf(seq: number): string {
  return `~e${String(seq).padStart(5, "0")}~`;
}

const MARKER = /~e(\d{5})~/g;

/** Every marker begins with these bytes. */
export const MARKER_START = "~e";

/** The edit sequence numbers whose markers appear in raw update bytes (strings are UTF-8 inside). */
export function markersIn(update: Uint8Array): number[] {
  const text = Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString("latin1");
  return [...text.matchAll(MARKER)].map((m) => Number(m[1]));
}
