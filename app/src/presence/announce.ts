// What this tab tells other peers about itself (DESIGN.md §4). The server replaces `user`
// with the authenticated identity; we still send ours so the faces show at once.
import { AWARENESS_TYPING, AWARENESS_USER, AWARENESS_VIEWING, colorFor, type PeerUser } from "@junokit/doc-model";
import type { Awareness } from "y-protocols/awareness";
import type { User } from "../api";

export const TYPING_IDLE_MS = 3000;

export function peerUserOf(user: User): PeerUser {
  return { id: user.id, name: user.displayName || user.username, color: colorFor(user.id), kind: "human" };
}

/** Joins a document's presence; the returned function leaves it (faces disappear at once). */
export function announce(awareness: Awareness, user: User, viewing?: string | null): () => void {
  awareness.setLocalState({
    [AWARENESS_USER]: peerUserOf(user),
    [AWARENESS_TYPING]: false,
    ...(viewing ? { [AWARENESS_VIEWING]: viewing } : {}),
  });
  return () => awareness.setLocalState(null);
}

export function setViewing(awareness: Awareness, conversationId: string | null): void {
  if (awareness.getLocalState() === null) return;
  awareness.setLocalStateField(AWARENESS_VIEWING, conversationId);
}

/**
 * The typing flag, throttled: awareness changes only when typing starts or stops, and it
 * stops by itself after a few idle seconds, on send, and when the person leaves.
 */
export function createTypingSignal(awareness: Awareness, idleMs = TYPING_IDLE_MS) {
  let typing = false;
  let idle: ReturnType<typeof setTimeout> | null = null;
  const set = (value: boolean) => {
    if (typing === value || awareness.getLocalState() === null) return;
    typing = value;
    awareness.setLocalStateField(AWARENESS_TYPING, value);
  };
  const stop = () => {
    if (idle) clearTimeout(idle);
    idle = null;
    set(false);
  };
  return {
    /** Call on every keystroke that changes the draft. */
    input(draftEmpty: boolean) {
      if (draftEmpty) return stop();
      set(true);
      if (idle) clearTimeout(idle);
      idle = setTimeout(stop, idleMs);
    },
    stop,
  };
}

export type TypingSignal = ReturnType<typeof createTypingSignal>;
