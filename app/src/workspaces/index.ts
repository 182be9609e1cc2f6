// Workspaces: who I am and where I belong, switching and creating workspaces, members and
// roles, and the sidebar's live conversation list with unread dots.
export { useConversationIndex, useMe, useWorkspaceDetails } from "./hooks";
export type { DetailsState, MeState } from "./hooks";
export { ConversationList } from "./ConversationList";
export { MembersPanel } from "./MembersPanel";
export { NewConversationDialog } from "./NewConversation";
export { NewWorkspaceDialog } from "./NewWorkspace";
export { WorkspaceSwitcher } from "./WorkspaceSwitcher";
export { Dialog } from "./Dialog";
export { isUnread, markSeen, seenStore } from "./unread";
export type { SeenMap } from "./unread";
