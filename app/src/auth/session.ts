// The signed-in session, kept in localStorage so a reload stays signed in. The token is
// only ever sent to our own origin (API header and Hocuspocus token).
import type { Me, Session } from "../api";
import { createStore } from "../store";

const SESSION_KEY = "junokit.session";
const meKey = (userId: string) => `junokit.me.${userId}`;

export const sessionStore = createStore<Session | null>(readSession());

/** The session as stored right now (another tab may have changed it). */
export function storedSession(): Session | null {
  return readSession();
}

// Signing in or out in one tab does the same in the others of this browser.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key !== SESSION_KEY && event.key !== null) return;
    const stored = readSession();
    const current = sessionStore.get();
    if (stored?.token === current?.token) return;
    if (!stored) signedOutReason.set("You signed out in another tab.");
    sessionStore.set(stored);
  });
}

/** Why the person is looking at the sign-in screen, when it was not their choice. */
export const signedOutReason = createStore<string | null>(null);

function readSession(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.token !== "string" || !parsed.user || typeof parsed.user.id !== "string") return null;
    return parsed as Session;
  } catch {
    return null;
  }
}

export function signIn(session: Session): void {
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  } catch {
    // Without storage the session lasts until reload; still usable.
  }
  signedOutReason.set(null);
  sessionStore.set(session);
}

export function signOut(reason: string | null = null): void {
  const session = sessionStore.get();
  try {
    localStorage.removeItem(SESSION_KEY);
    if (session) localStorage.removeItem(meKey(session.user.id));
  } catch {
    // Nothing stored, nothing to remove.
  }
  signedOutReason.set(reason);
  sessionStore.set(null);
}

/**
 * Removes everything this device keeps about a person in localStorage (their cached profile,
 * unread marks, outbox, the session itself); sign-out also deletes their cached documents.
 */
export function forgetUser(userId: string): void {
  try {
    const mine = (key: string) =>
      key === SESSION_KEY || key === "junokit.lastWorkspace" || (key.startsWith("junokit.") && (key.endsWith(`.${userId}`) || key.includes(`.${userId}.`)));
    const keys: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && mine(key)) keys.push(key);
    }
    for (const key of keys) localStorage.removeItem(key);
  } catch {
    // Nothing stored, nothing to remove.
  }
}

/** The last /api/me answer, so the app opens (and works) offline. */
export function cachedMe(userId: string): Me | null {
  try {
    const raw = localStorage.getItem(meKey(userId));
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}

export function rememberMe(me: Me): void {
  try {
    localStorage.setItem(meKey(me.user.id), JSON.stringify(me));
  } catch {
    // Offline start will just need the network.
  }
}
