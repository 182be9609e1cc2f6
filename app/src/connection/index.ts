// The live connection: one shared WebSocket per tab, every document bound to IndexedDB
// and the server, and the connection state the UI always shows.
export { createConnection, forgetLocalData } from "./documents";
export type { Connection, ConnectionOptions, DocumentHandle, DocumentState } from "./documents";
export { useConnectionState, useDocument, useDocumentState, useStore } from "./hooks";
export { ConnectionBadge, ConnectionNotice } from "./ConnectionBadge";
export { CONNECTION_HINT, CONNECTION_LABEL, connectionState } from "./status";
export type { ConnectionState } from "./status";
export { createStore } from "./store";
export type { Store } from "./store";
export { exposeForDebugging } from "./debug";
