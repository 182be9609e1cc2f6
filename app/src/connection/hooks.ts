import { useEffect, useState, useSyncExternalStore } from "react";
import type { Connection, DocumentHandle, DocumentState } from "./documents";
import type { ConnectionState } from "./status";
import type { Store } from "./store";

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}

export function useConnectionState(connection: Connection): ConnectionState {
  return useStore(connection.status);
}

/** Opens a document for as long as the calling component shows it. */
export function useDocument(connection: Connection, name: string | null): DocumentHandle | null {
  const [handle, setHandle] = useState<DocumentHandle | null>(null);
  useEffect(() => {
    if (!name) {
      setHandle(null);
      return;
    }
    const opened = connection.open(name);
    setHandle(opened);
    return () => opened.release();
  }, [connection, name]);
  return handle && handle.name === name ? handle : null;
}

const EMPTY_STATE: DocumentState = { local: false, synced: false, scope: null, refused: null };
const EMPTY_STORE: Store<DocumentState> = { get: () => EMPTY_STATE, set: () => undefined, subscribe: () => () => undefined };

export function useDocumentState(handle: DocumentHandle | null): DocumentState {
  return useStore(handle?.state ?? EMPTY_STORE);
}
