// Mentions in the composer: `@` completes workspace members' usernames and `@ai` (DESIGN.md
// §9), with the same rules for what counts as a mention as the server's notifications.
import "./mentions.css";
export { AI_HANDLE, completeMention, matchMentionables, mentionAt, mentionablesOf } from "./completion";
export type { Mentionable, MentionToken } from "./completion";
export { useMentionCompletion } from "./useMentionCompletion";
export type { MentionCompletion } from "./useMentionCompletion";
