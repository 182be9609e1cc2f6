import type { Extension } from "@hocuspocus/server";
import {
  readIndexEntry, readMessages, readMeta, upsertIndexEntry, workspaceIndexDocName,
  parseDocName, type IndexEntry,
} from "@junokit/doc-model";
import type * as Y from "yjs";
import type { Logger } from "../log";
import type { WorkspaceStore } from "../storage";
import type { DocumentWriter } from "../workspaces";
import type { CollabContext } from "./context";

const SETTLE_MS = 150;
// A conversation that keeps changing (a streaming reply) still refreshes its entry this often.
const MAX_WAIT_MS = 1_000;
const PREVIEW_CHARS = 140;

/**
 * Keeps `ws/<wid>/index` and the stored conversation records in step with each conversation
 * (SPEC IDX-1): title, persona, last activity and a preview, so every sidebar updates live.
 * Changes are coalesced per conversation (150 ms of quiet, at most 1 s apart); the index is
 * only written when an entry differs.
 */
export function createIndexMaintainer(store: WorkspaceStore, writer: DocumentWriter, logger: Logger) {
  const pending = new Map<string, { timer: NodeJS.Timeout; doc: Y.Doc; since: number }>();
  const running = new Set<Promise<void>>();

  async function refresh(documentName: string, doc: Y.Doc): Promise<void> {
    const address = parseDocName(documentName);
    if (address?.kind !== "conversation") return;
    const entry = entryOf(address.conversationId, documentName, doc);
    const indexName = workspaceIndexDocName(address.workspaceId);
    let changed = false;
    await writer.change(indexName, (index) => {
      const before = readIndexEntry(index, entry.id);
      upsertIndexEntry(index, entry);
      changed = before?.title !== entry.title || before?.persona !== entry.persona || before?.updatedAt !== entry.updatedAt;
    });
    if (changed) {
      await store.updateConversation(address.workspaceId, address.conversationId, {
        title: entry.title, persona: entry.persona, updatedAt: entry.updatedAt,
      });
    }
  }

  function runNow(documentName: string): Promise<void> {
    const entry = pending.get(documentName);
    if (!entry) return Promise.resolve();
    clearTimeout(entry.timer);
    pending.delete(documentName);
    const job = refresh(documentName, entry.doc).catch((err) => logger.error({ err, doc: documentName }, "updating the workspace index failed"));
    running.add(job);
    void job.finally(() => running.delete(job));
    return job;
  }

  function schedule(documentName: string, doc: Y.Doc) {
    const previous = pending.get(documentName);
    const since = previous?.since ?? Date.now();
    clearTimeout(previous?.timer);
    const wait = Math.max(0, Math.min(SETTLE_MS, since + MAX_WAIT_MS - Date.now()));
    pending.set(documentName, { timer: setTimeout(() => void runNow(documentName), wait), doc, since });
  }

  const extension: Extension<CollabContext> = {
    extensionName: "junokit-workspace-index",
    async onChange({ documentName, document, transactionOrigin }) {
      // A change relayed by another instance is that instance's to index.
      if ((transactionOrigin as { source?: string } | null)?.source === "redis") return;
      if (parseDocName(documentName)?.kind === "conversation") schedule(documentName, document);
    },
    // A conversation about to unload gets its final state written first.
    async beforeUnloadDocument({ documentName }) {
      await runNow(documentName);
    },
  };

  return {
    extension,
    async flush(): Promise<void> {
      await Promise.all([...pending.keys()].map(runNow));
      await Promise.all([...running]);
    },
  };
}

function entryOf(conversationId: string, documentName: string, doc: Y.Doc): IndexEntry {
  const meta = readMeta(doc);
  const messages = readMessages(doc);
  const last = messages.at(-1);
  return {
    id: conversationId,
    docName: documentName,
    title: meta.title,
    persona: meta.persona,
    createdAt: meta.createdAt,
    updatedAt: Math.max(meta.createdAt, last?.createdAt ?? 0),
    preview: (last?.text ?? "").replace(/\s+/g, " ").trim().slice(0, PREVIEW_CHARS),
    lastAuthorName: last?.authorName ?? "",
    messageCount: messages.length,
  };
}

