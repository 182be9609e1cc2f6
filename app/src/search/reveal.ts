// Jumping to a message: once the conversation has rendered it, scroll it into view and mark it
// for a moment. Messages carry `data-message-id` (conversation/MessageGroup.tsx).

const FOUND_CLASS = "message--found";
const WAIT_MS = 10_000;
const SHOW_MS = 2500;

let pending: (() => void) | null = null;

/** Reveals the message as soon as it is on screen (it may still be loading); a newer call wins. */
export function revealMessage(messageId: string): void {
  pending?.();
  const selector = `[data-message-id="${CSS.escape(messageId)}"]`;
  const show = (el: Element) => {
    el.scrollIntoView({ block: "center" });
    el.classList.add(FOUND_CLASS);
    setTimeout(() => el.classList.remove(FOUND_CLASS), SHOW_MS);
  };
  const now = document.querySelector(selector);
  if (now) return show(now);
  const observer = new MutationObserver(() => {
    const el = document.querySelector(selector);
    if (el) {
      stop();
      show(el);
    }
  });
  const timer = setTimeout(() => stop(), WAIT_MS);
  const stop = () => {
    observer.disconnect();
    clearTimeout(timer);
    if (pending === stop) pending = null;
  };
  pending = stop;
  observer.observe(document.body, { childList: true, subtree: true });
}
