// A tiny observable value for React's useSyncExternalStore, shared by the connection, the
// session, storage health and unread counts (its own folder so none of them imports another).
export { createStore } from "./store";
export type { Store } from "./store";
