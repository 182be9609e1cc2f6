// First screens of recently opened documents, kept in localStorage so they can be painted
// synchronously in the very first render after a navigation or a page load, before IndexedDB
// has even opened. Only the most recent few are kept (each is small: the newest messages),
// per user, and sign-out removes them with the rest of the person's keys.
const KEEP = 24;
const MAX_BYTES = 64_000;

const indexKey = (userId: string) => `junokit.screens.${userId}`;
const screenKey = (userId: string, docName: string) => `junokit.screen.${userId}.${docName}`;

export function readKeptScreen(userId: string, docName: string): unknown {
  try {
    const raw = localStorage.getItem(screenKey(userId, docName));
    return raw ? (JSON.parse(raw) as unknown) : null;
  } catch {
    return null;
  }
}

export function keepScreen(userId: string, docName: string, screen: unknown): void {
  try {
    const json = JSON.stringify(screen);
    if (json.length > MAX_BYTES) return forgetScreen(userId, docName);
    localStorage.setItem(screenKey(userId, docName), json);
    const recent = [docName, ...readIndex(userId).filter((n) => n !== docName)];
    for (const old of recent.splice(KEEP)) localStorage.removeItem(screenKey(userId, old));
    localStorage.setItem(indexKey(userId), JSON.stringify(recent));
  } catch {
    // Full or blocked storage: the document still loads, only a little later.
  }
}

export function forgetScreen(userId: string, docName: string): void {
  try {
    localStorage.removeItem(screenKey(userId, docName));
    const recent = readIndex(userId);
    if (recent.includes(docName)) localStorage.setItem(indexKey(userId), JSON.stringify(recent.filter((n) => n !== docName)));
  } catch {
    // Nothing kept.
  }
}

function readIndex(userId: string): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(indexKey(userId)) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === "string") : [];
  } catch {
    return [];
  }
}
