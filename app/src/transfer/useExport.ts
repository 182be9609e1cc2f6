import { useCallback, useEffect, useRef, useState } from "react";
import { describeError } from "../api";
import { downloadExport } from "./transfer-api";

/** One export at a time: whether it runs, and what went wrong in words (until cleared). */
export function useExport() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (path: string, fallbackName: string) => {
    setBusy(true);
    setError(null);
    try {
      await downloadExport(path, fallbackName);
    } catch (e) {
      if (mounted.current) setError(describeError(e));
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);

  return { busy, error, run, clear: useCallback(() => setError(null), []) };
}

/** A title as the start of a file name (the server's own name wins when it sends one). */
export function fileBase(title: string, fallback: string): string {
  return title.replace(/[^\p{L}\p{N} _.-]+/gu, " ").trim().slice(0, 80) || fallback;
}
