// Workspaces, memberships with roles, and conversations: the product's domain rules.
// HTTP calls these; they use the store and write documents through `DocumentWriter`.
export { createWorkspaces, atLeast, WorkspaceError, type Workspaces, type DocumentWriter, type WorkspaceEvents, type WorkspaceView, type MemberView } from "./workspaces";
