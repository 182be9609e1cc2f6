// The conversation screen: messages grouped by author (a bounded window of them, however long
// the conversation), Markdown, streaming AI replies with Stop, what still waits to sync, the
// composer, and the header's title, persona and AI mode. Reads and writes the document only
// through @junokit/doc-model.
export { ConversationView } from "./ConversationView";
export { groupMessages, GROUP_GAP_MS } from "./grouping";
export type { MessageGroup } from "./grouping";
export { MessageReader, useConversation } from "./useConversation";
export type { ConversationSnapshot } from "./useConversation";
export { showMessage } from "./show-message";
export { revealMessage } from "./reveal";
export { conversationScreen, readScreen } from "./screen";
export type { ConversationScreen } from "./screen";
export { rescueUnsent, unsentMessages } from "./rescue";
export { formatClock, formatDay, formatRelative } from "./time";
export { plainPreview } from "./preview";
