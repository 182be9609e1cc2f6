import { inboxDocName, markRead, readInbox, type InboxItem } from "@junokit/doc-model";
import { useCallback, useEffect, useState } from "react";
import { useDocument, useDocumentState, type Connection } from "../connection";

export interface Inbox {
  /** Newest first. */
  items: InboxItem[];
  unread: number;
  /** Cached or server content has arrived (an empty list then means an empty inbox). */
  loaded: boolean;
  markRead(ids: "all" | string[]): void;
}

/** The signed-in person's inbox document, live (and cached for offline like every document). */
export function useInbox(connection: Connection, userId: string): Inbox {
  const handle = useDocument(connection, inboxDocName(userId));
  const state = useDocumentState(handle);
  const [items, setItems] = useState<InboxItem[]>([]);
  useEffect(() => {
    if (!handle) return;
    const update = () => setItems(readInbox(handle.doc).reverse());
    update();
    handle.doc.on("update", update);
    return () => handle.doc.off("update", update);
  }, [handle]);
  const mark = useCallback(
    (ids: "all" | string[]) => {
      // Only `read` is ours to change; the server puts anything else back (SPEC INBOX-4).
      if (handle) markRead(handle.doc, ids);
    },
    [handle],
  );
  return { items, unread: items.filter((i) => !i.read).length, loaded: state.synced || state.local, markRead: mark };
}
