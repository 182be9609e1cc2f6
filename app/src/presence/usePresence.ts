import { useCallback, useRef, useSyncExternalStore } from "react";
import type { Awareness } from "y-protocols/awareness";
import { derivePresence, type Presence } from "./derive";

const NOBODY: Presence = { here: [], typing: [], ai: null };

/** Live presence of one document's awareness. */
export function usePresence(awareness: Awareness | null | undefined, selfUserId: string): Presence {
  const cache = useRef<{ awareness: unknown; version: number; value: Presence }>({ awareness: null, version: -1, value: NOBODY });
  const version = useRef(0);
  const subscribe = useCallback(
    (listener: () => void) => {
      if (!awareness) return () => undefined;
      const onChange = () => {
        version.current += 1;
        listener();
      };
      awareness.on("change", onChange);
      return () => awareness.off("change", onChange);
    },
    [awareness],
  );
  return useSyncExternalStore(subscribe, () => {
    const c = cache.current;
    if (c.awareness === awareness && c.version === version.current) return c.value;
    const value = awareness ? derivePresence(awareness.getStates(), selfUserId) : NOBODY;
    cache.current = { awareness, version: version.current, value };
    return value;
  });
}
