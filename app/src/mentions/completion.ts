// Completing `@name` in the composer (DESIGN.md §9): which token the caret is in, which
// people (and the AI) match it, and the draft after picking one. The rules for what counts as
// a mention are the server's (SPEC INBOX-1, AI-16): a username of [a-z0-9_.-], not right
// after a word character, `@` or `.`.

/** Someone the composer can mention: a member by username, or the AI as `@ai`. */
export interface Mentionable {
  /** What is written after `@`. */
  handle: string;
  /** What the list shows: a display name, or the persona's name for the AI. */
  label: string;
  kind: "human" | "ai";
}

/** The `@…` token around the caret: `[start, end)` covers the `@` and the name typed so far. */
export interface MentionToken {
  start: number;
  end: number;
  /** The name typed so far, lower-cased, without the `@`. */
  query: string;
}

export const AI_HANDLE = "ai";
const NAME_CHAR = /[a-z0-9_.-]/i;
const BEFORE_MENTION = /[\w@.]/;
const MAX_HANDLE = 32;

/** The mention token the caret is in or right after, or null when it is not in one. */
export function mentionAt(text: string, caret: number): MentionToken | null {
  let at = caret;
  while (at > 0 && NAME_CHAR.test(text[at - 1]!) && caret - at <= MAX_HANDLE) at--;
  if (at === 0 || text[at - 1] !== "@" || caret - at > MAX_HANDLE) return null;
  const start = at - 1;
  if (start > 0 && BEFORE_MENTION.test(text[start - 1]!)) return null;
  let end = caret;
  while (end < text.length && NAME_CHAR.test(text[end]!)) end++;
  return { start, end, query: text.slice(at, caret).toLowerCase() };
}

/**
 * Who matches what was typed: handles that start with it first, then names with a word that
 * starts with it; alphabetical within each, at most `limit`.
 */
export function matchMentionables(all: readonly Mentionable[], query: string, limit = 6): Mentionable[] {
  const q = query.toLowerCase();
  const byHandle: Mentionable[] = [];
  const byName: Mentionable[] = [];
  for (const m of all) {
    if (m.handle.toLowerCase().startsWith(q)) byHandle.push(m);
    else if (q && m.label.toLowerCase().split(/[\s._-]+/).some((word) => word.startsWith(q))) byName.push(m);
  }
  const order = (a: Mentionable, b: Mentionable) => a.handle.localeCompare(b.handle);
  return [...byHandle.sort(order), ...byName.sort(order)].slice(0, limit);
}

/** The draft with the token replaced by `@handle ` and where the caret goes next. */
export function completeMention(text: string, token: MentionToken, handle: string): { text: string; caret: number } {
  const after = text.slice(token.end);
  const inserted = `@${handle}${after.startsWith(" ") ? "" : " "}`;
  const caret = token.start + inserted.length + (after.startsWith(" ") ? 1 : 0);
  return { text: text.slice(0, token.start) + inserted + after, caret };
}

/** The workspace's members (not yourself) and the AI, as the composer offers them. */
export function mentionablesOf(
  members: readonly { userId: string; username: string; displayName: string }[],
  selfId: string,
  aiName: string,
): Mentionable[] {
  const people = members
    .filter((m) => m.userId !== selfId)
    .map((m): Mentionable => ({ handle: m.username, label: m.displayName || m.username, kind: "human" }));
  return [{ handle: AI_HANDLE, label: `${aiName}, the AI`, kind: "ai" }, ...people];
}
