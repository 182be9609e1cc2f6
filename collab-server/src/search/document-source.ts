import * as Y from "yjs";
import type { Logger } from "../log";
import type { DocumentStore } from "../storage";

/** Reads a document's current state without opening it for clients. */
export interface DocumentSource {
  /**
   * The loaded document when this process has it open (read it before the next await),
   * otherwise a fresh copy built from the store.
   */
  read(docName: string): Promise<Y.Doc>;
}

export function createDocumentSource(store: DocumentStore, live: (docName: string) => Y.Doc | undefined, logger: Logger): DocumentSource {
  return {
    async read(docName) {
      const loaded = live(docName);
      if (loaded) return loaded;
      const updates = await store.loadDocument(docName);
      const doc = live(docName);
      if (doc) return doc; // opened while we were reading
      const copy = new Y.Doc();
      updates.forEach((update, entry) => {
        try {
          Y.applyUpdate(copy, update);
        } catch (err) {
          logger.error({ err, doc: docName, entry }, "skipping an unreadable stored update");
        }
      });
      return copy;
    },
  };
}
