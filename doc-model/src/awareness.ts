// Awareness fields every peer publishes (DESIGN.md §4). The server overwrites `user` with the
// authenticated identity, so these are trustworthy once they have passed through it.

export type PeerKind = "human" | "ai";

export interface PeerUser {
  id: string;
  name: string;
  color: string;
  kind: PeerKind;
}

export interface PeerState {
  user: PeerUser;
  typing: boolean;
  [extra: string]: unknown;
}

export const AWARENESS_USER = "user";
export const AWARENESS_TYPING = "typing";
/**
 * Optional, set by the app on the workspace index document only: the id of the conversation
 * the person has open (or null), so the sidebar can show faces per conversation. Peers that
 * don't set it are simply "online" (an additive extension of DESIGN.md §4, SPEC APP-PRES-1).
 */
export const AWARENESS_VIEWING = "viewing";

/** Reads a peer's state defensively: remote states are untyped JSON. */
export function readPeer(state: unknown): PeerState | null {
  if (!state || typeof state !== "object") return null;
  const s = state as Record<string, unknown>;
  const u = s[AWARENESS_USER] as Record<string, unknown> | undefined;
  if (!u || typeof u.id !== "string") return null;
  return {
    ...s,
    user: {
      id: u.id,
      name: typeof u.name === "string" ? u.name : u.id,
      color: typeof u.color === "string" ? u.color : "#888888",
      kind: u.kind === "ai" ? "ai" : "human",
    },
    typing: s[AWARENESS_TYPING] === true,
  };
}

/** The conversation a peer says it has open, if any. */
export function readViewing(state: unknown): string | null {
  if (!state || typeof state !== "object") return null;
  const viewing = (state as Record<string, unknown>)[AWARENESS_VIEWING];
  return typeof viewing === "string" && viewing ? viewing : null;
}

/** A stable colour per user id, so a person looks the same on every screen. */
export function colorFor(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360} 65% 45%)`;
}
