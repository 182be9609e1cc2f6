import { notesJsonText, parseDocName, readMessages, readMeta, readNotesJson } from "@junokit/doc-model";
import type * as Y from "yjs";
import type { ConversationText } from "./types";

/** The searchable text of a conversation document, or null when the name is no conversation. */
export function conversationText(docName: string, doc: Y.Doc): ConversationText | null {
  const address = parseDocName(docName);
  if (address?.kind !== "conversation") return null;
  const meta = readMeta(doc);
  const messages = readMessages(doc);
  return {
    workspaceId: address.workspaceId,
    conversationId: address.conversationId,
    docName,
    title: meta.title,
    // The same last-activity rule as the stored record (SPEC IDX-1), so the two compare.
    updatedAt: Math.max(meta.createdAt, messages.at(-1)?.createdAt ?? 0),
    messages: messages.map((m) => ({ id: m.id, authorName: m.authorName, createdAt: m.createdAt, text: m.text })),
    notes: notesJsonText(readNotesJson(doc)),
  };
}
