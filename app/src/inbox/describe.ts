import type { InboxItem } from "@junokit/doc-model";

/** What an item says in the list and in a desktop notification. */
export function describeItem(item: InboxItem): { title: string; body: string } {
  switch (item.kind) {
    case "mention":
      return { title: "You were mentioned", body: item.text };
    case "ai-reply":
      return { title: "The AI answered you", body: item.text };
    case "invite":
      return { title: "New workspace", body: item.text };
    default:
      return { title: "Notification", body: item.text };
  }
}

/** New unread items since `known`, oldest first: what a desktop notification should announce. */
export function freshUnread(items: readonly InboxItem[], known: ReadonlySet<string>): InboxItem[] {
  return items.filter((i) => !i.read && !known.has(i.id)).sort((a, b) => a.createdAt - b.createdAt);
}
