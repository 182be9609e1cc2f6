// When a conversation was reset on the server, the device's copy is thrown away (merging it
// would double every message). What this device wrote and the server never acknowledged is
// not on the server either: those messages, and the blocks of the notes edited here, are
// carried into the fresh copy, once (SPEC OFF-RESET-3, OFF-RESET-4).
import {
  appendMessage, appendNotesBlocks, messageList, notesBlocksBeyond, parseDocName, readMessage, readMessages, readNotesJson,
  type Message, type NotesNode,
} from "@junokit/doc-model";
import type * as Y from "yjs";

/** Opens what is carried into the notes, so everyone sees where it came from. */
export const CARRIED_NOTES_HEADING: NotesNode = {
  type: "paragraph",
  content: [{ type: "text", text: "Carried over after the reset: written on one device, not yet on the server when it was reset.", marks: [{ type: "italic" }] }],
};

export function unsentMessages(doc: Y.Doc, isAcknowledged: (type: Y.AbstractType<any>) => boolean): Message[] {
  const unsent: Message[] = [];
  messageList(doc).forEach((map) => {
    if (isAcknowledged(map)) return;
    const message = readMessage(map);
    if (message.role === "user" && message.text.trim()) unsent.push(message);
  });
  return unsent;
}

/**
 * What to carry from a reset conversation's old copy: null when nothing is unsent, else a
 * function that carries it into the fresh copy and says what it carried, in words (or null
 * when everything was there already, as for a second tab).
 */
export function rescueUnsent(
  name: string,
  doc: Y.Doc,
  isAcknowledged: (type: Y.AbstractType<any>) => boolean,
  acknowledged: ReadonlyMap<number, number>,
): ((fresh: Y.Doc) => string | null) | null {
  if (parseDocName(name)?.kind !== "conversation") return null;
  const unsent = unsentMessages(doc, isAcknowledged);
  const blocks = notesBlocksBeyond(doc, acknowledged);
  if (unsent.length === 0 && blocks.length === 0) return null;
  return (fresh) => {
    const messages = carryMessages(fresh, unsent);
    const notes = carryNotes(fresh, blocks);
    const said: string[] = [];
    if (messages > 0) said.push(`${messages === 1 ? "1 message you wrote here was" : `${messages} messages you wrote here were`} not on the server yet and ${messages === 1 ? "has" : "have"} been sent again.`);
    if (notes > 0) said.push(`${notes === 1 ? "1 block of the notes you edited here was" : `${notes} blocks of the notes you edited here were`} not on the server yet: ${notes === 1 ? "it was" : "they were"} added at the end of the notes, as you left ${notes === 1 ? "it" : "them"}.`);
    return said.length > 0 ? said.join(" ") : null;
  };
}

function carryMessages(fresh: Y.Doc, unsent: Message[]): number {
  const present = new Set(readMessages(fresh).map((m) => m.id));
  let carried = 0;
  for (const m of unsent) {
    if (present.has(m.id)) continue;
    appendMessage(fresh, {
      id: m.id,
      role: m.role,
      authorId: m.authorId,
      authorName: m.authorName,
      createdAt: m.createdAt,
      text: m.text,
      ...(m.editOf ? { editOf: m.editOf } : {}),
    });
    carried += 1;
  }
  return carried;
}

/** Blocks the fresh notes hold already, exactly (the server had them after all), are skipped. */
function carryNotes(fresh: Y.Doc, blocks: NotesNode[]): number {
  const present = new Set((readNotesJson(fresh).content ?? []).map(canonical));
  const missing = blocks.filter((b) => !present.has(canonical(b)));
  if (missing.length === 0) return 0;
  appendNotesBlocks(fresh, [CARRIED_NOTES_HEADING, ...missing]);
  return missing.length;
}

/** JSON with sorted keys: the same block read from two copies compares equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
