// Jumping to a message: bring it into the conversation's rendered window (it may be thousands of
// messages up), then, once rendered, scroll it into view and mark it for a moment. Messages
// carry `data-message-id` (MessageGroup.tsx).
import { showMessage } from "./show-message";

const FOUND_CLASS = "message--found";
/** As long as showMessage looks for it: the conversation may still be loading. */
const WAIT_MS = 30_000;
const SHOW_MS = 2500;

let pending: (() => void) | null = null;

/**
 * Reveals the message as soon as it is on screen (it may still be loading); a newer call wins.
 * The list may re-render the message's element meanwhile (the cached first screen giving way to
 * the live one), so the mark is re-applied to whichever element shows the message until it ends.
 */
export function revealMessage(messageId: string): void {
  pending?.();
  showMessage(messageId);
  const selector = `[data-message-id="${CSS.escape(messageId)}"]`;
  let shown = false;
  const mark = (): boolean => {
    const el = document.querySelector(selector);
    if (!el) return false;
    if (!shown) {
      shown = true;
      el.scrollIntoView({ block: "center" });
      setTimeout(stop, SHOW_MS);
    }
    el.classList.add(FOUND_CLASS);
    return true;
  };
  const observer = new MutationObserver(() => void mark());
  const timer = setTimeout(() => !shown && stop(), WAIT_MS);
  const stop = () => {
    observer.disconnect();
    clearTimeout(timer);
    document.querySelectorAll(`.${FOUND_CLASS}`).forEach((el) => el.classList.remove(FOUND_CLASS));
    if (pending === stop) pending = null;
  };
  pending = stop;
  observer.observe(document.body, { childList: true, subtree: true });
  mark();
}
