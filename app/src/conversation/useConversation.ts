import { messageList, metaMap, readMessages, readMeta, type ConversationMeta, type Message } from "@junokit/doc-model";
import { useCallback, useRef, useSyncExternalStore } from "react";
import type * as Y from "yjs";

export interface ConversationSnapshot {
  meta: ConversationMeta;
  messages: Message[];
}

/**
 * The conversation's meta and messages, re-read when the document changes. Streaming
 * replies change it many times a second; React batches the renders.
 */
export function useConversation(doc: Y.Doc | null): ConversationSnapshot | null {
  const cache = useRef<{ doc: unknown; version: number; value: ConversationSnapshot | null }>({ doc: null, version: -1, value: null });
  const version = useRef(0);
  const subscribe = useCallback(
    (listener: () => void) => {
      if (!doc) return () => undefined;
      const bump = () => {
        version.current += 1;
        listener();
      };
      const messages = messageList(doc);
      const meta = metaMap(doc);
      messages.observeDeep(bump);
      meta.observe(bump);
      return () => {
        messages.unobserveDeep(bump);
        meta.unobserve(bump);
      };
    },
    [doc],
  );
  return useSyncExternalStore(subscribe, () => {
    const c = cache.current;
    if (c.doc === doc && c.version === version.current) return c.value;
    const value = doc ? { meta: readMeta(doc), messages: readMessages(doc) } : null;
    cache.current = { doc, version: version.current, value };
    return value;
  });
}
