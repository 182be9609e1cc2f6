// Events of a conversation's message list that the server reacts to (notifications): a
// message added, and a message's status changed. Each carries the transaction's origin so
// the caller can tell a person's change from the server's.
import * as Y from "yjs";
import { messageList, readStatus, type MessageMap, type MessageStatus } from "./conversation";
import { KEY } from "./keys";

export interface MessageEventHandlers {
  /**
   * A message was added. `batch` holds every message added by the same transaction, so a
   * caller can tell a live reply from a whole conversation written at once (an import).
   */
  onAdded?(map: MessageMap, origin: unknown, batch: readonly MessageMap[]): void;
  /** An existing message's status changed to `status`. */
  onStatus?(map: MessageMap, status: MessageStatus, origin: unknown): void;
}

export function observeMessageEvents(doc: Y.Doc, handlers: MessageEventHandlers): () => void {
  const list = messageList(doc);
  const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], txn: Y.Transaction) => {
    for (const event of events) {
      if (event.target === list) {
        const batch: MessageMap[] = [];
        for (const item of event.changes.added) {
          for (const content of item.content.getContent()) if (content instanceof Y.Map) batch.push(content);
        }
        for (const map of batch) handlers.onAdded?.(map, txn.origin, batch);
      } else if (event.target instanceof Y.Map && event.target.parent === list && event.changes.keys.has(KEY.status)) {
        if (event.target.has(KEY.status)) handlers.onStatus?.(event.target, readStatus(event.target), txn.origin);
      }
    }
  };
  list.observeDeep(observer);
  return () => list.unobserveDeep(observer);
}
