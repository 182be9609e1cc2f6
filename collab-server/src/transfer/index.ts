// Moving conversations in and out: export as JSON, Markdown or raw Yjs, a workspace archive,
// and import of those and of ChatGPT's conversations.json — validated whole, written all or nothing.
export { CONVERSATION_FORMAT, WORKSPACE_FORMAT, FORMAT_VERSION, DEFAULT_IMPORT_LIMITS, type ImportLimits, type ExportedConversation, type ExportedWorkspace } from "./formats";
export { exportConversation } from "./export";
export { conversationToMarkdown, markdownToConversation } from "./markdown";
export { notesToMarkdown, markdownToNotes } from "./notes-markdown";
export { readImport, type ImportFormat, type ImportRequest } from "./read-import";
export { createImporter, IMPORTED_AUTHOR_ID, type ImportedConversation } from "./importer";
export { ImportError } from "./errors";
export { transferRoutes, type TransferRoutesOptions } from "./routes";
