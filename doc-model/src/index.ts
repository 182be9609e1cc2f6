// JunoKit's document model: the typed schema of every Yjs document (DESIGN.md §4).
// Server, AI peer, app and tests use these functions; no other module names a Yjs key.
export * from "./names";
export * from "./conversation";
export * from "./workspace-index";
export * from "./inbox";
export * from "./awareness";
export * from "./personas";
export * from "./ai";
export * from "./notes";
export * from "./note-edits";
export * from "./note-runs";
export * from "./message-events";
export * from "./mentions";
export * from "./inbox-rules";
export * from "./moved-on";
export * from "./search-text";
// The MiniSearch index is its own entry point, "@junokit/doc-model/search-index", so pages that
// never search offline don't bundle MiniSearch.
