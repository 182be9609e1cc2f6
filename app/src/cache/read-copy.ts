// Reading a document's copy on this device without keeping it open: offline search reads every
// cached conversation this way, one at a time, and lets go of each at once (a sign-out or a
// reset in another tab deletes databases and must never wait for it).
import * as Y from "yjs";
import { CUSTOM, openDatabase, request, UPDATES } from "./idb";

/**
 * What a copy holds now. `version` grows with every write to it (updates are appended under
 * ever larger keys, compaction included), so an unchanged version means unchanged content.
 */
export type CachedCopy =
  | { kind: "missing" }
  | { kind: "unchanged"; version: number }
  | { kind: "read"; version: number; doc: Y.Doc };

/**
 * The copy named `name` as a fresh document, or `unchanged` when its version is `knownVersion`.
 * A database that does not exist is never created. Rejects when IndexedDB fails.
 */
export async function readCachedCopy(factory: IDBFactory, name: string, knownVersion?: number): Promise<CachedCopy> {
  const db = await openDatabase(factory, name, { create: false });
  if (!db) return { kind: "missing" };
  // Another tab deletes it (sign-out, reset): let go at once, the read then fails.
  db.onversionchange = () => db.close();
  try {
    if (!db.objectStoreNames.contains(UPDATES) || !db.objectStoreNames.contains(CUSTOM)) return { kind: "missing" };
    const store = db.transaction([UPDATES], "readonly").objectStore(UPDATES);
    const last = await request(store.openKeyCursor(null, "prev"));
    if (!last) return { kind: "missing" };
    const version = Number(last.key);
    if (version === knownVersion) return { kind: "unchanged", version };
    const updates = await request(store.getAll());
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const update of updates) if (update instanceof Uint8Array) Y.applyUpdate(doc, update);
    });
    return { kind: "read", version, doc };
  } finally {
    db.close();
  }
}
