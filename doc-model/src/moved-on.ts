// Did the conversation move on while a message waited to be answered (SPEC AI-17)? A prompt
// written offline, or queued behind others, was written without the messages that came in
// meanwhile; the AI's reply says so, and its prompt shows them as later than the question.
import * as Y from "yjs";
import { KEY } from "./keys";
import { messageId, messageList, type MessageMap, type MovedOn } from "./conversation";

/**
 * The messages `target`'s author had not seen when writing it, in conversation order: every
 * message after the one `target` was appended behind (its Yjs left origin), except `target`
 * itself and replies to it. Messages are only ever appended, so everything its author's copy
 * held sits at or before that origin, and everything after it came in unseen, whichever side
 * of `target` Yjs placed a concurrent message (device clocks play no part). Empty when the
 * origin cannot be found (never guess a note).
 */
export function unseenWhenWritten(doc: Y.Doc, target: MessageMap): MessageMap[] {
  const item = target._item;
  if (!item || item.parent !== messageList(doc)) return [];
  const origin = item.origin;
  const id = messageId(target);
  const unseen: MessageMap[] = [];
  // With no origin the author's copy was empty: nothing was seen.
  let pastOrigin = origin === null;
  for (let at = messageList(doc)._start; at; at = at.right) {
    if (!pastOrigin) {
      pastOrigin = origin !== null && at.id.client === origin.client && origin.clock >= at.id.clock && origin.clock < at.id.clock + at.length;
      continue;
    }
    if (at.deleted || !(at.content instanceof Y.ContentType)) continue;
    const map = at.content.type as MessageMap;
    if (map === target || map.get(KEY.replyTo) === id) continue;
    unseen.push(map);
  }
  return pastOrigin ? unseen : [];
}

/** Records on a reply how the conversation moved on before it began (set once, by the AI peer). */
export function setMovedOn(reply: MessageMap, movedOn: MovedOn): void {
  reply.set(KEY.movedOn, { count: movedOn.count, askedAt: movedOn.askedAt, askedBy: movedOn.askedBy });
}
