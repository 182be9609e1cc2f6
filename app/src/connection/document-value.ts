import { useCallback, useRef, useSyncExternalStore } from "react";
import type * as Y from "yjs";
import type { DocumentHandle } from "./open-document";

/**
 * A value read from a live document, re-read only when `observe` reports a change (so React
 * sees the same object between changes). `observe` returns its unsubscribe.
 */
export function useDocumentValue<T>(handle: DocumentHandle | null, observe: (doc: Y.Doc, onChange: () => void) => () => void, read: (doc: Y.Doc) => T, empty: T): T {
  const cache = useRef<{ doc: unknown; version: number; value: T }>({ doc: null, version: -1, value: empty });
  const version = useRef(0);
  const subscribe = useCallback(
    (listener: () => void) => {
      if (!handle) return () => undefined;
      // Changes between the render and this subscription (the cached copy loading) count too.
      version.current += 1;
      return observe(handle.doc, () => {
        version.current += 1;
        listener();
      });
    },
    [handle, observe],
  );
  return useSyncExternalStore(subscribe, () => {
    const c = cache.current;
    if (c.doc === handle && c.version === version.current) return c.value;
    const value = handle ? read(handle.doc) : empty;
    cache.current = { doc: handle, version: version.current, value };
    return value;
  });
}
