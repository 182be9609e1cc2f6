// Who is here and who is typing, derived from raw awareness states (DESIGN.md §4). One
// person may have several tabs (several awareness clients): they count once, and are
// typing if any of their tabs is.
import { readAiPresence, readPeer, type AiPresence, type PeerUser } from "@junokit/doc-model";

export interface PresentPeer extends PeerUser {
  typing: boolean;
  self: boolean;
  /** The conversation this peer has open, when the state says so (workspace index only). */
  viewing?: string;
}

export interface Presence {
  /** Everyone here, the AI first, then people by name, yourself last. */
  here: PresentPeer[];
  /** Everyone but yourself who is typing, in the same order. */
  typing: PresentPeer[];
  /** What the AI peer says about itself (model, availability, its queue), when it is here. */
  ai: AiPresence | null;
}

/**
 * The awareness field the app adds on the workspace index document: the id of the
 * conversation a person has open, so the sidebar can show faces per conversation.
 * An optional extension of DESIGN.md §4 (peers that don't set it are simply "online").
 */
export const AWARENESS_VIEWING = "viewing";

export function derivePresence(states: ReadonlyMap<number, unknown>, selfUserId: string): Presence {
  const byUser = new Map<string, PresentPeer>();
  let ai: AiPresence | null = null;
  for (const raw of states.values()) {
    const peer = readPeer(raw);
    if (!peer) continue;
    if (peer.user.kind === "ai") ai ??= readAiPresence(raw);
    const viewing = (raw as Record<string, unknown>)[AWARENESS_VIEWING];
    const seen = byUser.get(peer.user.id);
    if (seen) {
      seen.typing ||= peer.typing;
      if (!seen.viewing && typeof viewing === "string") seen.viewing = viewing;
      continue;
    }
    byUser.set(peer.user.id, {
      ...peer.user,
      typing: peer.typing,
      self: peer.user.id === selfUserId,
      ...(typeof viewing === "string" ? { viewing } : {}),
    });
  }
  const here = [...byUser.values()].sort(compare);
  return { here, typing: here.filter((p) => p.typing && !p.self), ai };
}

function compare(a: PresentPeer, b: PresentPeer): number {
  const rank = (p: PresentPeer) => (p.kind === "ai" ? 0 : p.self ? 2 : 1);
  return rank(a) - rank(b) || a.name.localeCompare(b.name);
}

/** "bob is typing…", "bob and carol are typing…", "bob, carol and 2 others are typing…". */
export function typingText(typing: readonly Pick<PeerUser, "name">[]): string | null {
  const names = typing.map((p) => p.name);
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  const others = names.length - 2;
  return `${names[0]}, ${names[1]} and ${others} ${others === 1 ? "other" : "others"} are typing…`;
}

/** People (not yourself) grouped by the conversation they have open. */
export function viewersByConversation(here: readonly PresentPeer[]): Map<string, PresentPeer[]> {
  const result = new Map<string, PresentPeer[]>();
  for (const peer of here) {
    if (!peer.viewing || peer.self) continue;
    result.set(peer.viewing, [...(result.get(peer.viewing) ?? []), peer]);
  }
  return result;
}

/** The line above the composer about the AI's work: who it answers and how many wait. */
export function aiQueueText(ai: AiPresence | null, aiName: string): string | null {
  if (!ai || ai.queue.length === 0) return null;
  const answering = ai.queue.find((e) => e.state === "answering");
  const waiting = ai.queue.filter((e) => e.state === "queued").length;
  const parts = [answering ? `${aiName} is answering ${answering.authorName || "someone"}` : null, waiting ? `${waiting} waiting` : null];
  return parts.filter(Boolean).join(" · ") || null;
}
