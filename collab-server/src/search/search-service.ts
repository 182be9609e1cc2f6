import type { Extension } from "@hocuspocus/server";
import { conversationDocName, conversationText, parseDocName } from "@junokit/doc-model";
import type * as Y from "yjs";
import type { CollabContext } from "../collab";
import type { Logger } from "../log";
import type { WorkspaceStore } from "../storage";
import type { DocumentSource } from "./document-source";
import type { SearchHit, SearchIndex } from "./types";

export interface SearchServiceOptions {
  store: WorkspaceStore;
  index: SearchIndex;
  documents: DocumentSource;
  logger: Logger;
  /** Quiet time after a change before it is indexed (default 300 ms)… */
  settleMs?: number;
  /** …but a conversation that keeps changing (a streaming reply) is indexed at least this often (default 1 s). */
  maxWaitMs?: number;
  /** Every instance shares the index (PostgreSQL): a change relayed from another instance is indexed there, not here. */
  sharedIndex?: boolean;
}

const PROGRESS_EVERY = 200;

/**
 * Keeps the index in step with the documents (SPEC SRCH-2, SRCH-3): live changes are indexed
 * after a short quiet time; a workspace's conversations are (re)indexed from the store when it
 * is first used after a start, and whenever their stored record is newer than the index.
 */
export function createSearchService(options: SearchServiceOptions) {
  const { store, index, documents, logger } = options;
  const settleMs = options.settleMs ?? 300;
  const maxWaitMs = options.maxWaitMs ?? 1000;
  const pending = new Map<string, { timer: NodeJS.Timeout; doc: Y.Doc; since: number }>();
  const running = new Set<Promise<void>>();
  const catchingUp = new Map<string, Promise<void>>();

  async function indexDocument(docName: string, doc: Y.Doc): Promise<void> {
    const text = conversationText(docName, doc);
    if (text) await index.put(text);
  }

  function track(job: Promise<void>, docName: string): Promise<void> {
    const logged = job.catch((err) => logger.error({ err, doc: docName }, "search: indexing a conversation failed"));
    running.add(logged);
    void logged.finally(() => running.delete(logged));
    return logged;
  }

  function runNow(docName: string): Promise<void> {
    const entry = pending.get(docName);
    if (!entry) return Promise.resolve();
    clearTimeout(entry.timer);
    pending.delete(docName);
    return track(indexDocument(docName, entry.doc), docName);
  }

  function schedule(docName: string, doc: Y.Doc): void {
    const previous = pending.get(docName);
    const since = previous?.since ?? Date.now();
    clearTimeout(previous?.timer);
    const wait = Math.max(0, Math.min(settleMs, since + maxWaitMs - Date.now()));
    pending.set(docName, { timer: setTimeout(() => void runNow(docName), wait), doc, since });
  }

  /** Indexes every conversation of the workspace whose stored record is newer than the index. */
  async function catchUp(workspaceId: string): Promise<void> {
    const started = Date.now();
    const [records, versions] = await Promise.all([store.listConversations(workspaceId), index.versions(workspaceId)]);
    const stale = records.filter((r) => (versions.get(r.id) ?? -Infinity) < r.updatedAt);
    const known = new Set(records.map((r) => r.id));
    for (const id of versions.keys()) if (!known.has(id)) await index.remove(workspaceId, id);
    if (stale.length === 0) return;
    const loud = stale.length >= 20;
    if (loud) logger.info({ workspaceId, conversations: stale.length }, "search: indexing workspace");
    for (const [i, record] of stale.entries()) {
      const docName = conversationDocName(workspaceId, record.id);
      // A conversation open here is indexed from its live document; reading it yields first.
      await track(documents.read(docName).then((doc) => indexDocument(docName, doc)), docName);
      if (loud && (i + 1) % PROGRESS_EVERY === 0) logger.info({ workspaceId, done: i + 1, of: stale.length }, "search: indexing progress");
    }
    const log = loud ? logger.info.bind(logger) : logger.debug.bind(logger);
    log({ workspaceId, conversations: stale.length, ms: Date.now() - started }, "search: workspace indexed");
  }

  /** One catch-up per workspace at a time; callers arriving meanwhile share it. */
  function ensureFresh(workspaceId: string): Promise<void> {
    let job = catchingUp.get(workspaceId);
    if (!job) {
      job = catchUp(workspaceId).finally(() => catchingUp.delete(workspaceId));
      catchingUp.set(workspaceId, job);
    }
    return job;
  }

  const extension: Extension<CollabContext> = {
    extensionName: "junokit-search",
    async onChange({ documentName, document, transactionOrigin }) {
      if (options.sharedIndex && (transactionOrigin as { source?: string } | null)?.source === "redis") return;
      if (parseDocName(documentName)?.kind === "conversation") schedule(documentName, document);
    },
    async beforeUnloadDocument({ documentName }) {
      await runNow(documentName);
    },
    // Someone opened a workspace: bring its index up to date in the background (after a
    // restart, this is what rebuilds it before the first search).
    async afterLoadDocument({ documentName }) {
      const address = parseDocName(documentName);
      if (address?.kind !== "workspace-index") return;
      void ensureFresh(address.workspaceId).catch((err) => logger.error({ err, workspaceId: address.workspaceId }, "search: catching up failed"));
    },
  };

  return {
    extension,
    ensureFresh,
    /** The index itself, without the catch-up a search does first. */
    index,

    /** Hits in one workspace (membership is the caller's check), best first. */
    async search(workspaceId: string, query: string, limit: number): Promise<SearchHit[]> {
      // What was typed a moment ago is found too: pending changes of this workspace go first.
      const mine = [...pending.keys()].filter((name) => {
        const address = parseDocName(name);
        return address?.kind === "conversation" && address.workspaceId === workspaceId;
      });
      await Promise.all(mine.map(runNow));
      await ensureFresh(workspaceId);
      return index.search(workspaceId, query, limit);
    },

    /** Indexes every pending change now (shutdown, tests). */
    async flush(): Promise<void> {
      await Promise.all([...pending.keys()].map(runNow));
      await Promise.all([...running]);
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
