import {
  AI_AUTHOR_ID, DEFAULT_PERSONA_ID, isBuiltInPersonaId, appendMessage, conversationDocName, messageReasoning, removeIndexEntry, workspaceIndexDocName,
  writeMeta, writeNotesJson,
} from "@junokit/doc-model";
import { nanoid } from "nanoid";
import type * as Y from "yjs";
import type { PublicUser } from "../auth";
import type { Logger } from "../log";
import type { DocumentStore, WorkspaceStore } from "../storage";
import type { DocumentWriter } from "../workspaces";
import type { ExportedConversation } from "./formats";

/** An imported person's message keeps its author's name; its author id only if it is the importer's. */
export const IMPORTED_AUTHOR_ID = "imported";

export interface ImportedConversation {
  id: string;
  docName: string;
  title: string;
}

export interface ImporterOptions {
  store: DocumentStore & WorkspaceStore;
  writer: DocumentWriter;
  logger: Logger;
}

/**
 * Writes validated conversations as new ones (SPEC XFER-3): documents first, then the stored
 * records that make them visible; if anything fails, the records, documents and index entries
 * written so far are deleted again.
 */
export function createImporter({ store, writer, logger }: ImporterOptions) {
  async function rollBack(workspaceId: string, written: ImportedConversation[]): Promise<void> {
    for (const c of written) {
      await store.deleteConversation(workspaceId, c.id).catch((err) => logger.error({ err, workspaceId, conversationId: c.id }, "import rollback: deleting a conversation record failed"));
      await store.deleteDocument(c.docName).catch((err) => logger.error({ err, doc: c.docName }, "import rollback: deleting a document failed"));
    }
    await writer.change(workspaceIndexDocName(workspaceId), (index) => {
      for (const c of written) removeIndexEntry(index, c.id);
    }).catch((err) => logger.error({ err, workspaceId }, "import rollback: cleaning the workspace index failed"));
  }

  return {
    async importConversations(user: PublicUser, workspaceId: string, conversations: ExportedConversation[]): Promise<ImportedConversation[]> {
      const started = Date.now();
      const written: ImportedConversation[] = [];
      try {
        // A persona id survives only when it means something here (SPEC AI-19); else Dev.
        const own = new Set((await store.listPersonas(workspaceId)).map((p) => p.id));
        const personaOf = (c: ExportedConversation) => (isBuiltInPersonaId(c.meta.persona) || own.has(c.meta.persona) ? c.meta.persona : DEFAULT_PERSONA_ID);
        for (const c of conversations) {
          const id = nanoid(16);
          const docName = conversationDocName(workspaceId, id);
          const title = c.meta.title.trim() || "Imported conversation";
          written.push({ id, docName, title });
          await writer.change(docName, (doc) => writeConversation(doc, c, title, personaOf(c), user));
        }
        for (const [i, c] of conversations.entries()) {
          const { id, title } = written[i]!;
          const now = Date.now();
          const createdAt = c.meta.createdAt || now;
          const updatedAt = Math.max(createdAt, c.messages.at(-1)?.createdAt ?? 0);
          await store.createConversation({ id, workspaceId, title, persona: personaOf(c), createdBy: user.id, createdAt, updatedAt });
        }
      } catch (err) {
        logger.error({ err, workspaceId, written: written.length }, "import failed; removing what was written");
        await rollBack(workspaceId, written);
        throw err;
      }
      const messages = conversations.reduce((n, c) => n + c.messages.length, 0);
      logger.info({ workspaceId, userId: user.id, conversations: written.length, messages, ms: Date.now() - started }, "import done");
      return written;
    },
  };
}

function writeConversation(doc: Y.Doc, c: ExportedConversation, title: string, persona: string, importer: PublicUser): void {
  writeMeta(doc, { title, persona, ai: c.meta.ai, createdAt: c.meta.createdAt || Date.now(), createdBy: importer.id });
  // Fresh ids, so an import never collides with (or is taken for) the original messages.
  const ids = new Map(c.messages.map((m) => [m.id, nanoid()]));
  for (const m of c.messages) {
    const assistant = m.role === "assistant";
    const map = appendMessage(doc, {
      id: ids.get(m.id)!,
      role: m.role,
      authorId: assistant ? AI_AUTHOR_ID : m.authorId === importer.id ? importer.id : IMPORTED_AUTHOR_ID,
      authorName: m.authorName,
      createdAt: m.createdAt,
      text: m.text,
      // A reply that was still streaming when exported will never finish here.
      status: m.status === "streaming" ? "stopped" : m.status,
      ...(m.replyTo && ids.has(m.replyTo) ? { replyTo: ids.get(m.replyTo)! } : {}),
      ...(m.model !== undefined ? { model: m.model } : {}),
      ...(m.error !== undefined ? { error: m.error } : {}),
    });
    if (m.reasoning) messageReasoning(map).insert(0, m.reasoning);
  }
  writeNotesJson(doc, c.notes);
}
