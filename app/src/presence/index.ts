// Presence: who is in a document right now and who is typing, from awareness
// (DESIGN.md §4), and what this tab announces about itself.
export { aiQueueText, aiStatus, derivePresence, mergeAiPresence, typingText, viewersByConversation } from "./derive";
export type { Presence, PresentPeer } from "./derive";
export { announce, createTypingSignal, peerUserOf, setViewing, TYPING_IDLE_MS } from "./announce";
export type { TypingSignal } from "./announce";
export { usePresence } from "./usePresence";
export { Avatar, initials } from "./Avatar";
export { Faces } from "./Faces";
export { TypingLine } from "./TypingLine";
