import { useLayoutEffect, useState, useSyncExternalStore } from "react";
import type { Connection, DocumentHandle, DocumentState } from "./documents";
import type { ConnectionState } from "./status";
import type { Store } from "../store";

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}

export function useConnectionState(connection: Connection): ConnectionState {
  return useStore(connection.status);
}

/**
 * Opens a document for as long as the calling component shows it. When the connection
 * replaces the copy (the server's document was reset), this follows to the new one.
 * Opened in a layout effect: the re-render with the handle (and a conversation's kept first
 * screen) then happens before the browser paints, so no frame without it is drawn first.
 */
export function useDocument(connection: Connection, name: string | null): DocumentHandle | null {
  const [handle, setHandle] = useState<DocumentHandle | null>(null);
  const [generation, setGeneration] = useState(0);
  useLayoutEffect(() => {
    if (!name) {
      setHandle(null);
      return;
    }
    const opened = connection.open(name);
    setHandle(opened);
    const follow = () => {
      if (opened.state.get().replaced) setGeneration((g) => g + 1);
    };
    const stop = opened.state.subscribe(follow);
    follow();
    return () => {
      stop();
      opened.release();
    };
  }, [connection, name, generation]);
  return handle && handle.name === name && !handle.state.get().replaced ? handle : null;
}

const EMPTY_STATE: DocumentState = { local: false, synced: false, scope: null, refused: null, waiting: 0, replaced: false, notice: null, screen: null };
const EMPTY_STORE: Store<DocumentState> = { get: () => EMPTY_STATE, set: () => undefined, subscribe: () => () => undefined };
const ZERO: Store<number> = { get: () => 0, set: () => undefined, subscribe: () => () => undefined };

export function useDocumentState(handle: DocumentHandle | null): DocumentState {
  return useStore(handle?.state ?? EMPTY_STORE);
}

/** Re-renders the caller whenever acknowledgements of this document may have changed. */
export function useAcknowledged(handle: DocumentHandle | null): number {
  return useStore(handle?.acks ?? ZERO);
}
