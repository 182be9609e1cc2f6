// The inbox in the browser: the bell with the unread count, the list (open an item, mark one
// or all read), and desktop notifications while the tab is hidden. The server writes items.
export { InboxBell } from "./InboxBell";
export { useInbox, type Inbox } from "./useInbox";
export { describeItem, freshUnread } from "./describe";
