// Unread dots: the last activity time a person has seen per conversation, kept on this
// device (per user). A conversation is unread when it moved on since they last looked.
import { createStore, type Store } from "../store";

export type SeenMap = Readonly<Record<string, number>>;

export function isUnread(updatedAt: number, messageCount: number, seenAt: number | undefined, isOpen: boolean): boolean {
  if (isOpen) return false;
  if (seenAt === undefined) return messageCount > 0;
  return updatedAt > seenAt;
}

const stores = new Map<string, Store<SeenMap>>();

export function seenStore(userId: string): Store<SeenMap> {
  let store = stores.get(userId);
  if (store) return store;
  store = createStore<SeenMap>(read(userId));
  stores.set(userId, store);
  const key = storageKey(userId);
  // Another tab saw a conversation: its dot goes away here too.
  window.addEventListener("storage", (e) => {
    if (e.key === key) store?.set(read(userId));
  });
  return store;
}

export function markSeen(userId: string, conversationId: string, updatedAt: number): void {
  const store = seenStore(userId);
  const current = store.get();
  if ((current[conversationId] ?? -1) >= updatedAt) return;
  const next = { ...current, [conversationId]: updatedAt };
  store.set(next);
  try {
    localStorage.setItem(storageKey(userId), JSON.stringify(next));
  } catch {
    // Dots then reset on reload; nothing else depends on it.
  }
}

function storageKey(userId: string): string {
  return `junokit.seen.${userId}`;
}

function read(userId: string): SeenMap {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(userId)) ?? "{}");
    return parsed && typeof parsed === "object" ? (parsed as SeenMap) : {};
  } catch {
    return {};
  }
}
