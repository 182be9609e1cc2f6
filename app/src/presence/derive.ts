// Who is here and who is typing, derived from raw awareness states (DESIGN.md §4). One
// person may have several tabs (several awareness clients): they count once, and are
// typing if any of their tabs is. In a cluster every server instance publishes its own AI
// peer: those merge into one AI face too (SPEC APP-PRES-3).
import { readAiPresence, readPeer, readViewing, type AiPresence, type PeerUser, type QueueEntry } from "@junokit/doc-model";

export interface PresentPeer extends PeerUser {
  typing: boolean;
  self: boolean;
  /** The conversation this peer has open, when the state says so (workspace index only). */
  viewing?: string;
  /** A short line under the name in tooltips: the AI's model, or that it is unavailable. */
  status?: string;
  /** The AI peer says it cannot answer (no endpoint or model); its notice says why. */
  unavailable?: boolean;
}

export interface Presence {
  /** Everyone here, the AI first, then people by name, yourself last. */
  here: PresentPeer[];
  /** Everyone but yourself who is typing, in the same order. */
  typing: PresentPeer[];
  /** What the AI peer says about itself (model, availability, its queue), when it is here. */
  ai: AiPresence | null;
}

export function derivePresence(states: ReadonlyMap<number, unknown>, selfUserId: string): Presence {
  const byUser = new Map<string, PresentPeer>();
  const aiStates: AiPresence[] = [];
  for (const raw of states.values()) {
    const peer = readPeer(raw);
    if (!peer) continue;
    if (peer.user.kind === "ai") {
      const ai = readAiPresence(raw);
      if (ai) aiStates.push(ai);
    }
    const viewing = readViewing(raw);
    const seen = byUser.get(peer.user.id);
    if (seen) {
      seen.typing ||= peer.typing;
      if (!seen.viewing && viewing) seen.viewing = viewing;
      continue;
    }
    byUser.set(peer.user.id, {
      ...peer.user,
      typing: peer.typing,
      self: peer.user.id === selfUserId,
      ...(viewing ? { viewing } : {}),
    });
  }
  const ai = mergeAiPresence(aiStates);
  const here = [...byUser.values()].sort(compare);
  for (const peer of here) {
    if (peer.kind !== "ai" || !ai) continue;
    peer.status = aiStatus(ai);
    if (!ai.available) peer.unavailable = true;
  }
  return { here, typing: here.filter((p) => p.typing && !p.self), ai };
}

/**
 * One AI out of the presences several server instances publish: available if any instance
 * is (its model then), the notice only when none is, and one queue — every prompt being
 * answered first, then the waiting ones — with each prompt listed once.
 */
export function mergeAiPresence(states: readonly AiPresence[]): AiPresence | null {
  if (states.length <= 1) return states[0] ?? null;
  const available = states.filter((s) => s.available);
  const models = [...new Set((available.length ? available : states).map((s) => s.model).filter(Boolean))];
  const notice = available.length ? undefined : states.find((s) => s.notice)?.notice;
  const queue = new Map<string, QueueEntry>();
  for (const state of ["answering", "queued"] as const) {
    for (const entry of states.flatMap((s) => s.queue)) {
      if (entry.state === state && !queue.has(entry.messageId)) queue.set(entry.messageId, entry);
    }
  }
  return { model: models.join(", "), available: available.length > 0, ...(notice ? { notice } : {}), queue: [...queue.values()] };
}

/** The AI's line in tooltips: its model when it can answer, why not otherwise. */
export function aiStatus(ai: AiPresence): string {
  if (ai.available) return ai.model ? `AI · ${ai.model}` : "AI";
  return `AI · unavailable${ai.notice ? `: ${ai.notice}` : ""}`;
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
  const answering = ai.queue.filter((e) => e.state === "answering").map((e) => e.authorName || "someone");
  const waiting = ai.queue.filter((e) => e.state === "queued").length;
  const parts = [answering.length ? `${aiName} is answering ${[...new Set(answering)].join(" and ")}` : null, waiting ? `${waiting} waiting` : null];
  return parts.filter(Boolean).join(" · ") || null;
}
