// The conversation screen: messages grouped by author, Markdown, streaming AI replies with
// Stop, the composer, and the header's title, persona and AI mode. Reads and writes the
// document only through @junokit/doc-model.
export { ConversationView, personaOf } from "./ConversationView";
export { groupMessages, GROUP_GAP_MS } from "./grouping";
export type { MessageGroup } from "./grouping";
export { useConversation } from "./useConversation";
export { formatClock, formatDay, formatRelative } from "./time";
export { plainPreview } from "./preview";
