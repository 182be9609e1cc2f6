// Which slice of a long conversation is rendered. Following the newest messages, the last
// FIRST_PAGE are shown (growing as messages arrive, up to MAX_RENDERED); scrolling up adds a page
// above, scrolling down adds one below, and the far end is dropped so the page never holds
// more than MAX_RENDERED messages, whatever the conversation's length (10,000 and more).

/** Messages rendered at first: more than a tall screen holds, few enough to paint at once. */
export const FIRST_PAGE = 24;
export const PAGE = 40;
export const MAX_RENDERED = 300;

export interface MessageWindow {
  start: number;
  /** Exclusive end; null while following the newest message. */
  end: number | null;
}

export function latestWindow(count: number): MessageWindow {
  return { start: Math.max(0, count - FIRST_PAGE), end: null };
}

/** The concrete range for `count` messages, following the newest while `end` is null. */
export function windowRange(w: MessageWindow, count: number): { start: number; end: number } {
  // Past the end (the conversation shrank, e.g. its copy was replaced): show the newest.
  if (w.start >= count && count > 0) return windowRange(latestWindow(count), count);
  const end = w.end === null ? count : Math.min(w.end, count);
  const start = Math.min(Math.max(0, w.start, end - MAX_RENDERED), end);
  return { start, end };
}

export function earlier(w: MessageWindow, count: number): MessageWindow {
  const { start, end } = windowRange(w, count);
  if (start === 0) return w;
  const nextStart = Math.max(0, start - PAGE);
  if (end - nextStart <= MAX_RENDERED) return { start: nextStart, end: w.end === null ? null : end };
  return { start: nextStart, end: nextStart + MAX_RENDERED };
}

export function later(w: MessageWindow, count: number): MessageWindow {
  if (w.end === null) return w;
  const { start, end } = windowRange(w, count);
  const nextEnd = Math.min(count, end + PAGE);
  const nextStart = Math.max(start, nextEnd - MAX_RENDERED);
  return { start: nextStart, end: nextEnd >= count ? null : nextEnd };
}

/** A window with message `index` in the middle (a search hit, a notification). */
export function around(index: number, count: number): MessageWindow {
  const start = Math.max(0, Math.min(index - PAGE / 2, count - PAGE));
  const end = Math.min(count, start + PAGE);
  return { start, end: end >= count ? null : end };
}
