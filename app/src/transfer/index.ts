// Moving conversations in and out (DESIGN.md §3, SPEC XFER-*): the conversation header's export
// menu (Markdown, JSON, Yjs), the workspace export, and the import dialog with upload progress.
import "./transfer.css";
export { ExportMenu } from "./ExportMenu";
export { ImportDialog } from "./ImportDialog";
export { WorkspaceTransfer } from "./WorkspaceTransfer";
export { conversationExportPath, downloadExport, importFile, workspaceExportPath } from "./transfer-api";
export type { ImportedConversation } from "./transfer-api";
export { EXPORT_FORMATS, fileNameFrom, importContentType, progressText } from "./files";
export type { ExportFormat, UploadProgress } from "./files";
