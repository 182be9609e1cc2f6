import { readMessages, readMeta, readNotesJson } from "@junokit/doc-model";
import type * as Y from "yjs";
import { CONVERSATION_FORMAT, FORMAT_VERSION, type ExportedConversation, type ExportedMessage } from "./formats";

/** A conversation document as the versioned JSON format (SPEC XFER-1). */
export function exportConversation(doc: Y.Doc, ids: { workspaceId: string; conversationId: string }): ExportedConversation {
  const meta = readMeta(doc);
  const messages: ExportedMessage[] = readMessages(doc).map((m) => {
    const out: ExportedMessage = {
      id: m.id, role: m.role, authorId: m.authorId, authorName: m.authorName, createdAt: m.createdAt, text: m.text, status: m.status,
    };
    if (m.replyTo !== undefined) out.replyTo = m.replyTo;
    if (m.model !== undefined) out.model = m.model;
    if (m.reasoning) out.reasoning = m.reasoning;
    if (m.error !== undefined) out.error = m.error;
    return out;
  });
  return {
    format: CONVERSATION_FORMAT,
    version: FORMAT_VERSION,
    meta: { ...meta, ...ids, exportedAt: Date.now() },
    messages,
    notes: readNotesJson(doc),
  };
}
