// Asking the open conversation's message list to bring a message into its rendered window
// (OFF-LARGE-1): search hits, notifications and a reply's "Show it" (APP-AI-2) call this.

export const SHOW_MESSAGE_EVENT = "junokit:show-message";

/**
 * Brings a message into the rendered window of the open conversation (search hits and
 * notifications call this before scrolling to it; old messages may not be rendered).
 */
export function showMessage(messageId: string): void {
  window.dispatchEvent(new CustomEvent(SHOW_MESSAGE_EVENT, { detail: messageId }));
}
