// The live connection: one shared WebSocket per tab, every document bound to the device's
// cache and the server, what waits to sync, and the connection state the UI always shows.
export { createConnection, RECONNECT, RESET_NOTICE, signOutLock, withTabLock } from "./documents";
export type { Connection, ConnectionOptions, DocumentHandle, DocumentState } from "./documents";
export { useAcknowledged, useConnectionState, useDocument, useDocumentState, useStore } from "./hooks";
export { useDocumentValue } from "./document-value";
export { ConnectionBadge, ConnectionNotice } from "./ConnectionBadge";
export { CONNECTION_HINT, CONNECTION_LABEL, connectionState, waitingText } from "./status";
export type { ConnectionState } from "./status";
export { exposeForDebugging } from "./debug";
