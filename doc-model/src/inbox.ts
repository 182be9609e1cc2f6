// A user's inbox document (`user/<uid>/inbox`): notifications, newest last. The server writes
// items; the owner only flips `read`.
import * as Y from "yjs";
import { KEY } from "./keys";

export type InboxKind = "mention" | "ai-reply" | "invite" | (string & {});

export interface InboxItem {
  id: string;
  kind: InboxKind;
  workspaceId: string;
  conversationId: string;
  messageId: string;
  from: string;
  text: string;
  createdAt: number;
  read: boolean;
}


export function inboxItems(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>(KEY.items);
}

export function appendInboxItem(doc: Y.Doc, item: InboxItem): void {
  const map = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(item)) map.set(k, v);
  inboxItems(doc).push([map]);
}

export function readInbox(doc: Y.Doc): InboxItem[] {
  return inboxItems(doc).toArray().map((m) => m.toJSON() as InboxItem);
}

export function markRead(doc: Y.Doc, ids: "all" | string[]): void {
  doc.transact(() => {
    for (const m of inboxItems(doc).toArray()) {
      if (ids === "all" || ids.includes(String(m.get(KEY.id)))) m.set(KEY.read, true);
    }
  });
}
