// What search sees of a conversation and how it cuts text into words and snippets (SPEC
// SRCH-1), shared by the server's index and the browser's offline one so both find, rank and
// highlight the same way.
import type * as Y from "yjs";
import { readMessages, readMeta } from "./conversation";
import { parseDocName } from "./names";
import { notesJsonText, readNotesJson } from "./notes";

export type SearchKind = "message" | "notes" | "title";

/** Everything searchable in one conversation, read from its document. */
export interface ConversationText {
  workspaceId: string;
  conversationId: string;
  docName: string;
  title: string;
  /** The conversation's last activity as its stored record counts it (SPEC IDX-1): the freshness mark. */
  updatedAt: number;
  messages: { id: string; authorName: string; createdAt: number; text: string }[];
  /** The notes as plain text. */
  notes: string;
}

/** One search result, the same from the server and from the browser's offline index. */
export interface SearchHit {
  conversationId: string;
  docName: string;
  title: string;
  kind: SearchKind;
  /** The message to jump to (kind "message"). */
  messageId?: string;
  authorName?: string;
  createdAt?: number;
  /** Plain text around the best match, "…" where it was cut. */
  snippet: string;
  /** [start, end) UTF-16 offsets of matched words in `snippet`. */
  highlights: [number, number][];
  score: number;
}

/** The searchable text of a conversation document, or null when the name is no conversation. */
export function conversationText(docName: string, doc: Y.Doc): ConversationText | null {
  const address = parseDocName(docName);
  if (address?.kind !== "conversation") return null;
  const meta = readMeta(doc);
  const messages = readMessages(doc);
  return {
    workspaceId: address.workspaceId,
    conversationId: address.conversationId,
    docName,
    title: meta.title,
    // The same last-activity rule as the stored record (SPEC IDX-1), so the two compare.
    updatedAt: Math.max(meta.createdAt, messages.at(-1)?.createdAt ?? 0),
    messages: messages.map((m) => ({ id: m.id, authorName: m.authorName, createdAt: m.createdAt, text: m.text })),
    notes: notesJsonText(readNotesJson(doc)),
  };
}

/** Words of a query beyond this many are ignored (a 100 KB query is refused earlier). */
export const MAX_QUERY_TERMS = 12;
export const SEARCH_KIND_BOOST: Readonly<Record<SearchKind, number>> = { title: 1.5, message: 1, notes: 0.9 };
/** Query words of 2+ characters also match as prefixes. */
export const matchesAsPrefix = (term: string): boolean => term.length >= 2;
/**
 * Query words of 4+ characters match with up to ¼ of their length in typos (at most
 * MAX_TYPOS): short words would match half the vocabulary, long ones cost too much to expand.
 */
export const typoFraction = (term: string): number | false => (term.length >= 4 ? 0.25 : false);
export const MAX_TYPOS = 2;

// Letters, digits, combining marks and "_"; everything else (spaces, punctuation, Markdown
// syntax, control characters such as NUL) separates words.
const WORD = /[\p{L}\p{N}\p{M}_]+/gu;
/** Longer "words" (hashes, base64) are not indexed; they would only bloat the index. */
export const MAX_TERM_LENGTH = 64;

export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

export function wordSpans(text: string): { start: number; end: number; word: string }[] {
  return [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, word: m[0] }));
}

const ASCII = /^[\x00-\x7f]*$/;

/** Lowercase without accents ("Café" → "cafe"); null for words too long to index. */
export function normalizeWord(word: string): string | null {
  if (word.length > MAX_TERM_LENGTH) return null;
  // Most words are ASCII, which has no accents to drop: 5–10× faster when indexing many messages.
  if (ASCII.test(word)) return word.toLowerCase() || null;
  return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase() || null;
}

// Snippets: the part of a long text that shows why it matched, with the matched words marked
// as ranges (plain text, so no markup ever reaches the page from here).

export const SNIPPET_CHARS = 160;
const LEAD_CHARS = 40;

export interface Snippet {
  snippet: string;
  highlights: [number, number][];
}

/** The window of `text` holding the most matched words, whitespace collapsed. */
export function makeSnippet(text: string, matched: ReadonlySet<string>, maxChars = SNIPPET_CHARS): Snippet {
  const spans = wordSpans(text);
  const hits = spans.filter((s) => matched.has(normalizeWord(s.word) ?? ""));
  let from = 0;
  if (hits.length > 0) {
    // Slide a window over the hits (in text order) and keep the one that covers the most.
    let best = -1;
    for (let i = 0, j = 0; i < hits.length; i++) {
      const start = Math.max(0, hits[i]!.start - LEAD_CHARS);
      j = Math.max(j, i);
      while (j < hits.length && hits[j]!.end <= start + maxChars) j++;
      if (j - i > best) [best, from] = [j - i, start];
    }
    // Start on a word boundary (the best hit itself is one), not in the middle of a word.
    if (from > 0) from = spans.find((s) => s.start >= from)?.start ?? from;
  }
  let to = Math.min(text.length, from + maxChars);
  const cut = spans.find((s) => s.start < to && s.end > to);
  if (cut && cut.start > from) to = cut.start;
  return renderSnippet(text.slice(from, to), from > 0, to < text.length, matched);
}

function renderSnippet(window: string, cutBefore: boolean, cutAfter: boolean, matched: ReadonlySet<string>): Snippet {
  const body = window.replace(/\s+/g, " ").trim();
  const prefix = cutBefore ? "…" : "";
  const snippet = prefix + body + (cutAfter ? "…" : "");
  const highlights: [number, number][] = wordSpans(body)
    .filter((s) => matched.has(normalizeWord(s.word) ?? ""))
    .map((s) => [s.start + prefix.length, s.end + prefix.length]);
  return { snippet, highlights };
}
