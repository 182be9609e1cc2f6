// The inbox's one rule for its owner: only `read` may change (DESIGN.md §4). The server
// watches the owner's changes and puts everything else back as the server wrote it.
import * as Y from "yjs";
import { appendInboxItem, inboxItems, type InboxItem } from "./inbox";
import { KEY } from "./keys";

/** Calls `onChange` with the transaction origin after every change of the inbox items. */
export function observeInbox(doc: Y.Doc, onChange: (origin: unknown) => void): () => void {
  const items = inboxItems(doc);
  const observer = (_events: unknown, txn: Y.Transaction) => onChange(txn.origin);
  items.observeDeep(observer);
  return () => items.unobserveDeep(observer);
}

/**
 * Makes the inbox equal to `expected` (what the server wrote), keeping each item's `read`
 * flag as the owner set it when it is a boolean. Returns true when something was put back.
 */
export function restoreInbox(doc: Y.Doc, expected: readonly InboxItem[], origin: unknown = null): boolean {
  const items = inboxItems(doc);
  const current = items.toArray();
  const readById = new Map<string, boolean>();
  for (const map of current) {
    const read = map.get(KEY.read);
    if (typeof read === "boolean") readById.set(String(map.get(KEY.id)), read);
  }
  const wanted = expected.map((item) => ({ ...item, read: readById.get(item.id) ?? item.read }));
  const sameOrder = current.length === wanted.length && current.every((map, i) => map.get(KEY.id) === wanted[i]!.id);
  let changed = false;
  doc.transact(() => {
    if (!sameOrder) {
      // Items added, removed or moved: rebuild the list as written (rare: only a forgery does it).
      items.delete(0, items.length);
      for (const item of wanted) appendInboxItem(doc, item);
      changed = true;
      return;
    }
    current.forEach((map, i) => {
      const item = wanted[i]! as unknown as Record<string, unknown>;
      for (const key of [...map.keys()]) if (!(key in item)) (map.delete(key), (changed = true));
      for (const [key, value] of Object.entries(item)) {
        if (map.get(key) !== value) (map.set(key, value), (changed = true));
      }
    });
  }, origin);
  return changed;
}
