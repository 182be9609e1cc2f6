// `@username` mentions in message text (usernames are 3–32 of [a-z0-9_.-], DESIGN.md §3).
// `@ai` addresses the AI peer and is not a person.

// Not preceded by a word character, `@` or `.`, so e-mail addresses are not mentions.
const MENTION = /(?<![\w@.])@([A-Za-z0-9_.-]{3,32})/g;
const MAX_MENTIONS = 20;

/** The distinct usernames mentioned in `text`, lowercased, in order of appearance (at most 20). */
export function mentionedUsernames(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    // A mention ending a sentence ("thanks @bob.") keeps its trailing dots out of the name.
    const name = match[1]!.toLowerCase().replace(/[.-]+$/, "");
    if (name.length >= 3 && name !== "ai") found.add(name);
    if (found.size >= MAX_MENTIONS) break;
  }
  return [...found];
}
