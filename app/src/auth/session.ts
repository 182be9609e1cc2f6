// The signed-in session, kept in localStorage so a reload stays signed in. The token is
// only ever sent to our own origin (API header and Hocuspocus token).
import type { Me, Session } from "../api";
import { createStore } from "../connection";

const SESSION_KEY = "junokit.session";
const meKey = (userId: string) => `junokit.me.${userId}`;

export const sessionStore = createStore<Session | null>(readSession());

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
