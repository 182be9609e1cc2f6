// How text is cut into searchable words, shared by the index and the snippet highlighter so
// a highlighted word is exactly a word the index matched.

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

/** Lowercase without accents ("Café" → "cafe"); null for words too long to index. */
export function normalizeWord(word: string): string | null {
  if (word.length > MAX_TERM_LENGTH) return null;
  return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase() || null;
}
