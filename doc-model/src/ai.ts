// What the AI peer and the app share beyond DESIGN.md §4 (SPEC AI-*): the prompt queue,
// regenerate and edit-and-resend requests, the context ledger with its running summary,
// and the AI peer's awareness fields. Keys live in keys.ts like every other key.
import * as Y from "yjs";
import { KEY } from "./keys";
import { messageList, type ContextState, type MessageMap } from "./conversation";

/** The user message is queued for an answer (set and cleared by the AI peer only). */
export function setPending(map: MessageMap, pending: boolean): void {
  if (pending) map.set(KEY.pending, true);
  else if (map.has(KEY.pending)) map.delete(KEY.pending);
}

export function isPending(map: MessageMap): boolean {
  return map.get(KEY.pending) === true;
}

/** Asks the AI for another answer to the message this reply answers; the old reply stays. */
export function requestRegenerate(map: MessageMap): void {
  map.set(KEY.regenerate, true);
}

export function isRegenerateRequested(map: MessageMap): boolean {
  return map.get(KEY.regenerate) === true;
}

/** Takes back a `stop` someone set on a message that was not theirs to cancel. */
export function clearStop(map: MessageMap): void {
  if (map.has(KEY.stop)) map.delete(KEY.stop);
}

/**
 * Until when (ms since epoch) the server instance writing a streaming reply vouches for it;
 * renewed while it writes. Other instances leave a reply with a live lease alone (SPEC AI-6).
 */
export function setReplyLease(map: MessageMap, until: number): void {
  map.set(KEY.leaseUntil, until);
}

export function replyLease(map: MessageMap): number {
  const until = map.get(KEY.leaseUntil);
  return typeof until === "number" && Number.isFinite(until) ? until : 0;
}

/** Records where a message stands in the AI's latest prompt; writes only on change. */
export function setContextState(map: MessageMap, state: ContextState): void {
  if (map.get(KEY.context) !== state) map.set(KEY.context, state);
}

/** The running summary of turns folded out of the prompt; editors may edit it. */
export function summaryText(doc: Y.Doc): Y.Text {
  return doc.getText(KEY.summary);
}

const AI_MENTION = /(^|[^\w@])@ai\b/i;

/** True when the text addresses the AI (`@ai`), the trigger of `meta.ai = "mention"`. */
export function mentionsAi(text: string): boolean {
  return AI_MENTION.test(text);
}

export interface AiRequestHandlers {
  /** A message was added to the conversation. */
  onNew(map: MessageMap, origin: unknown): void;
  /** `stop` was set on a message. */
  onStop(map: MessageMap, origin: unknown): void;
  /** `regenerate` was set on a reply. */
  onRegenerate(map: MessageMap, origin: unknown): void;
}

/** Calls the handlers for every new message, `stop` and `regenerate`, with the transaction origin. */
export function observeAiRequests(doc: Y.Doc, handlers: AiRequestHandlers): () => void {
  const list = messageList(doc);
  const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], txn: Y.Transaction) => {
    for (const event of events) {
      if (event.target === list) {
        for (const item of event.changes.added) {
          for (const content of item.content.getContent()) if (content instanceof Y.Map) handlers.onNew(content, txn.origin);
        }
      } else if (event.target instanceof Y.Map && event.target.parent === list) {
        const map = event.target as MessageMap;
        const keys = event.changes.keys;
        if (keys.has(KEY.stop) && map.get(KEY.stop) === true) handlers.onStop(map, txn.origin);
        if (keys.has(KEY.regenerate) && map.get(KEY.regenerate) === true) handlers.onRegenerate(map, txn.origin);
      }
    }
  };
  list.observeDeep(observer);
  return () => list.unobserveDeep(observer);
}

// The AI peer's awareness: `{ user, typing, ai: AiPresence }` (DESIGN.md §4 plus this field).
export const AWARENESS_AI = "ai";

export interface QueueEntry {
  messageId: string;
  authorId: string;
  authorName: string;
  /** The first entry is being answered; the rest wait in this order. */
  state: "answering" | "queued";
}

export interface AiPresence {
  model: string;
  /** False when no endpoint is configured; `notice` then says how to configure one. */
  available: boolean;
  notice?: string;
  queue: QueueEntry[];
}

/** Reads the AI peer's extra awareness field defensively (remote states are untyped JSON). */
export function readAiPresence(state: unknown): AiPresence | null {
  if (!state || typeof state !== "object") return null;
  const ai = (state as Record<string, unknown>)[AWARENESS_AI] as Record<string, unknown> | undefined;
  if (!ai || typeof ai !== "object") return null;
  const queue = Array.isArray(ai.queue) ? ai.queue : [];
  return {
    model: typeof ai.model === "string" ? ai.model : "",
    available: ai.available === true,
    ...(typeof ai.notice === "string" ? { notice: ai.notice } : {}),
    queue: queue
      .filter((e): e is Record<string, unknown> => !!e && typeof e === "object" && typeof (e as { messageId?: unknown }).messageId === "string")
      .map((e) => ({
        messageId: String(e.messageId),
        authorId: typeof e.authorId === "string" ? e.authorId : "",
        authorName: typeof e.authorName === "string" ? e.authorName : "",
        state: e.state === "answering" ? "answering" : "queued",
      })),
  };
}
