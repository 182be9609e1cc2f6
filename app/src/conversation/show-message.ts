// Asking the open conversation's message list to bring a message into its rendered window
// (OFF-LARGE-1): search hits, notifications and a reply's "Show it" (APP-AI-2) call this.
import type { ConversationSnapshot } from "./useConversation";

export const SHOW_MESSAGE_EVENT = "junokit:show-message";
/** How long lists that mount or load after the request look for it (a long one can load slowly). */
const SHOW_WAIT_MS = 30_000;

/** The message asked for most recently, until a list that holds it shows it (or time runs out). */
let wanted: { id: string; until: number } | null = null;

/**
 * Brings a message into the rendered window of the open conversation (search hits and
 * notifications call this before scrolling to it; old messages may not be rendered). The
 * conversation may not be open or loaded yet (a hit in another one): the list that mounts or
 * loads next and holds the message shows it (SPEC SRCH-8).
 */
export function showMessage(messageId: string): void {
  wanted = { id: messageId, until: Date.now() + SHOW_WAIT_MS };
  window.dispatchEvent(new CustomEvent(SHOW_MESSAGE_EVENT, { detail: messageId }));
}

/** Index of the wanted message in this snapshot, claiming the request; -1 when it is not there. */
export function claimWanted(snapshot: ConversationSnapshot): number {
  if (!wanted) return -1;
  if (wanted.until < Date.now()) {
    wanted = null;
    return -1;
  }
  const index = snapshot.indexOf(wanted.id);
  if (index >= (snapshot.first ?? 0)) wanted = null;
  return index;
}
