// Snippets: the part of a long text that shows why it matched, with the matched words marked
// as ranges (plain text, so no markup ever reaches the browser from here).
import { normalizeWord, wordSpans } from "./words";

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
  return render(text.slice(from, to), from > 0, to < text.length, matched);
}

function render(window: string, cutBefore: boolean, cutAfter: boolean, matched: ReadonlySet<string>): Snippet {
  const body = window.replace(/\s+/g, " ").trim();
  const prefix = cutBefore ? "…" : "";
  const snippet = prefix + body + (cutAfter ? "…" : "");
  const highlights: [number, number][] = wordSpans(body)
    .filter((s) => matched.has(normalizeWord(s.word) ?? ""))
    .map((s) => [s.start + prefix.length, s.end + prefix.length]);
  return { snippet, highlights };
}
