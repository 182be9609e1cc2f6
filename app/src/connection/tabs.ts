// Tabs of one browser stay in step, also offline: every local change of a document is posted
// on a BroadcastChannel and applied by the other tabs with the relay as origin, so it is never
// posted again (no echo). A tab that opens a document late says hello with its state vector
// and the others answer with what it lacks. Messages carry the cache generation: after a reset
// (a new cache), tabs still holding the old copy cannot pour it into the new one.
import * as Y from "yjs";

type RelayMessage = { g: string; update: Uint8Array } | { g: string; hello: Uint8Array };

export interface TabRelay {
  /** Asks the other tabs for anything this one lacks (call once the local copy is loaded). */
  hello(): void;
  close(): void;
}

/** An encoded update with no structs and no deletions is two zero bytes. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length <= 2;
}

/**
 * `isLocal` tells changes made in this tab from those that came from the server or the cache
 * (other tabs get those from the same place, so only local changes are posted).
 */
export function relayBetweenTabs(channelName: string, doc: Y.Doc, generation: string, isLocal: (origin: unknown) => boolean = () => true): TabRelay {
  if (typeof BroadcastChannel === "undefined") return { hello() {}, close() {} };
  const channel = new BroadcastChannel(channelName);
  const relay = {};
  const post = (message: RelayMessage) => {
    try {
      channel.postMessage(message);
    } catch {
      // A closed channel (the tab is going away): the other tabs get it from IndexedDB or the server.
    }
  };
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== relay && isLocal(origin)) post({ g: generation, update });
  };
  channel.onmessage = (event: MessageEvent<unknown>) => {
    const message = event.data as Partial<{ g: unknown; update: unknown; hello: unknown }> | null;
    if (!message || message.g !== generation) return;
    if (message.update instanceof Uint8Array) {
      Y.applyUpdate(doc, message.update, relay);
    } else if (message.hello instanceof Uint8Array) {
      const missing = Y.encodeStateAsUpdate(doc, message.hello);
      if (!isEmptyUpdate(missing)) post({ g: generation, update: missing });
    }
  };
  doc.on("update", onUpdate);
  return {
    hello: () => post({ g: generation, hello: Y.encodeStateVector(doc) }),
    close() {
      doc.off("update", onUpdate);
      channel.close();
    },
  };
}
