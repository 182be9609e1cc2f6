// When a conversation was reset on the server, the device's copy is thrown away (merging it
// would double every message). What this device wrote and the server never acknowledged is
// not on the server either: those messages are carried into the fresh copy, once.
import { appendMessage, messageList, parseDocName, readMessage, readMessages, type Message } from "@junokit/doc-model";
import type * as Y from "yjs";

export function unsentMessages(doc: Y.Doc, isAcknowledged: (type: Y.AbstractType<any>) => boolean): Message[] {
  const unsent: Message[] = [];
  messageList(doc).forEach((map) => {
    if (isAcknowledged(map)) return;
    const message = readMessage(map);
    if (message.role === "user" && message.text.trim()) unsent.push(message);
  });
  return unsent;
}

export function rescueUnsent(
  name: string,
  doc: Y.Doc,
  isAcknowledged: (type: Y.AbstractType<any>) => boolean,
): ((fresh: Y.Doc) => number) | null {
  if (parseDocName(name)?.kind !== "conversation") return null;
  const unsent = unsentMessages(doc, isAcknowledged);
  if (unsent.length === 0) return null;
  return (fresh) => {
    const present = new Set(readMessages(fresh).map((m) => m.id));
    let carried = 0;
    for (const m of unsent) {
      if (present.has(m.id)) continue;
      appendMessage(fresh, {
        id: m.id,
        role: m.role,
        authorId: m.authorId,
        authorName: m.authorName,
        createdAt: m.createdAt,
        text: m.text,
        ...(m.editOf ? { editOf: m.editOf } : {}),
      });
      carried += 1;
    }
    return carried;
  };
}
