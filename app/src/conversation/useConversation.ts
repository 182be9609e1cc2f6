import { messageList, metaMap, readMessage, readMeta, type ConversationMeta, type Message, type MessageMap } from "@junokit/doc-model";
import { useCallback, useRef, useSyncExternalStore } from "react";
import type * as Y from "yjs";

export interface ConversationSnapshot {
  meta: ConversationMeta;
  /** Number of messages. */
  count: number;
  /** Index of the first message there is to show (a kept first screen has only the newest). */
  first?: number;
  /** The message at `index` (read once, then cached until it changes). */
  at(index: number): Message;
  /** The stored map of the message at `index` (for acknowledgement checks). */
  mapAt(index: number): MessageMap;
  /** Index of the message with this id, or -1. */
  indexOf(id: string): number;
}

/**
 * Reads a conversation incrementally: a change re-reads only the message it touched, so a
 * streaming reply in a conversation of 10,000 messages costs one message per update, not all.
 */
export class MessageReader {
  private readonly list: Y.Array<MessageMap>;
  private maps: MessageMap[];
  private readonly cache = new WeakMap<MessageMap, Message>();
  private meta: ConversationMeta;
  private snapshot: ConversationSnapshot;

  constructor(private readonly doc: Y.Doc) {
    this.list = messageList(doc);
    this.maps = this.list.toArray();
    this.meta = readMeta(doc);
    this.snapshot = this.makeSnapshot();
  }

  get current(): ConversationSnapshot {
    return this.snapshot;
  }

  /** Listens to the document; `onChange` runs after each change. Returns the unsubscribe. */
  observe(onChange: () => void): () => void {
    // The document may have changed between the first read and this subscription (React
    // subscribes after rendering; the cached copy can load in between): read it again, and
    // React, which checks the snapshot right after subscribing, renders the fresh one.
    this.maps = this.list.toArray();
    this.meta = readMeta(this.doc);
    this.snapshot = this.makeSnapshot();
    const onMessages = (events: Y.YEvent<Y.AbstractType<any>>[]) => {
      let structural = false;
      for (const event of events) {
        if (event.target === this.list) structural = true;
        else this.forget(event.target);
      }
      if (structural) this.maps = this.list.toArray();
      this.snapshot = this.makeSnapshot();
      onChange();
    };
    const onMeta = () => {
      this.meta = readMeta(this.doc);
      this.snapshot = this.makeSnapshot();
      onChange();
    };
    const meta = metaMap(this.doc);
    this.list.observeDeep(onMessages);
    meta.observe(onMeta);
    return () => {
      this.list.unobserveDeep(onMessages);
      meta.unobserve(onMeta);
    };
  }

  /** Drops the cached read of the message that contains `type`. */
  private forget(type: Y.AbstractType<any>): void {
    let t: Y.AbstractType<any> | null = type;
    while (t && t.parent !== this.list) t = t.parent;
    if (t) this.cache.delete(t as MessageMap);
  }

  private makeSnapshot(): ConversationSnapshot {
    const maps = this.maps;
    const at = (index: number): Message => {
      const map = maps[index]!;
      let message = this.cache.get(map);
      if (!message) {
        message = readMessage(map);
        this.cache.set(map, message);
      }
      return message;
    };
    return {
      meta: this.meta,
      count: maps.length,
      at,
      mapAt: (index) => maps[index]!,
      indexOf: (id) => {
        for (let i = maps.length - 1; i >= 0; i--) if (at(i).id === id) return i;
        return -1;
      },
    };
  }
}

const readers = new WeakMap<Y.Doc, MessageReader>();

/** The conversation's meta and messages, re-read (incrementally) when the document changes. */
export function useConversation(doc: Y.Doc | null): ConversationSnapshot | null {
  const reader = doc ? (readers.get(doc) ?? readers.set(doc, new MessageReader(doc)).get(doc)!) : null;
  const subscribe = useCallback((listener: () => void) => (reader ? reader.observe(listener) : () => undefined), [reader]);
  const last = useRef<ConversationSnapshot | null>(null);
  return useSyncExternalStore(subscribe, () => {
    last.current = reader ? reader.current : null;
    return last.current;
  });
}
