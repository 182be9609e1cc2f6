import type { Extension } from "@hocuspocus/server";
import * as Y from "yjs";
import type { Logger } from "../log";
import type { Metrics } from "../metrics";
import type { DocumentStore } from "../storage";
import { documentUpdateOf, isEmptyUpdate } from "./client-frames";
import { refusal, type CollabContext } from "./context";

/**
 * Durability (SPEC DUR-*): a client's update is appended to the store before Hocuspocus
 * applies and acknowledges it, so "acknowledged" means "on disk". Server-side changes are
 * appended as they happen and retried until they land.
 */
export function createPersistence(store: DocumentStore, logger: Logger, maxDocumentBytes: number, metrics?: Metrics) {
  const sizes = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();

  async function append(name: string, update: Uint8Array, source: "client" | "server"): Promise<void> {
    const stopTimer = metrics?.storeAppendSeconds.startTimer();
    await store.appendUpdate(name, update);
    stopTimer?.();
    metrics?.documentUpdates.inc({ source });
    sizes.set(name, (sizes.get(name) ?? 0) + update.length);
  }

  async function appendUntilStored(name: string, update: Uint8Array): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await append(name, update, "server");
        return;
      } catch (err) {
        logger.error({ err, doc: name, attempt }, "storing a server-side change failed; retrying");
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 5_000)));
      }
    }
  }

  const extension: Extension<CollabContext> = {
    extensionName: "junokit-persistence",

    // A throw here makes Hocuspocus drop the half-built document, so a failed load can never
    // leave an empty document that would later be stored over real data.
    async onLoadDocument({ document, documentName }) {
      const updates = await store.loadDocument(documentName);
      let bytes = 0;
      updates.forEach((update, index) => {
        bytes += update.length;
        try {
          Y.applyUpdate(document, update);
        } catch (err) {
          logger.error({ err, doc: documentName, entry: index }, "skipping an unreadable stored update");
        }
      });
      sizes.set(documentName, bytes);
    },

    async beforeHandleMessage({ update: frame, connection, documentName }) {
      if (connection.readOnly) return;
      const update = documentUpdateOf(frame);
      if (!update || isEmptyUpdate(update)) return;
      try {
        Y.decodeUpdate(update);
      } catch {
        throw refusal("malformed document update", 4400);
      }
      if ((sizes.get(documentName) ?? 0) + update.length > maxDocumentBytes) {
        logger.warn({ doc: documentName, limit: maxDocumentBytes }, "document size limit reached; update refused");
        throw refusal("document size limit reached", 4413);
      }
      await append(documentName, update, "client");
    },

    async onChange({ documentName, update, transactionOrigin }) {
      const source = (transactionOrigin as { source?: string } | null)?.source;
      // Client updates were stored before they were applied; other instances store their own.
      if (source === "connection" || source === "redis") return;
      const write = appendUntilStored(documentName, update);
      inFlight.add(write);
      void write.finally(() => inFlight.delete(write));
    },

    async afterUnloadDocument({ documentName }) {
      sizes.delete(documentName);
    },
  };

  return {
    extension,
    /** Resolves when every server-side change seen so far is on disk. */
    async flush(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
