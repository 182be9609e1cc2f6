// Whether this device can keep documents offline. A full disk or a broken IndexedDB never
// stops the app (it keeps working online); it only earns a warning that says what it means.
import { createStore, type Store } from "../store";

export type StorageProblemKind = "quota" | "unavailable" | "failed";

export interface StorageProblem {
  kind: StorageProblemKind;
  /** What the browser said, for the curious (never shown as the main text). */
  detail: string;
}

export const STORAGE_PROBLEM_TEXT: Record<StorageProblemKind, string> = {
  quota:
    "This device's storage for JunoKit is full, so new changes are not kept for offline use. Everything still syncs while you are online; free some space (or close other tabs) to keep working offline.",
  unavailable:
    "This browser won't let JunoKit keep documents on this device (private mode or blocked storage). Everything works while you are online, but nothing is available offline.",
  failed: "Saving to this device failed. Everything still syncs while you are online; reload the page if this keeps happening.",
};

export const storageHealth: Store<StorageProblem | null> = createStore<StorageProblem | null>(null);

/** Records a problem; a quota problem outranks the others until it clears. */
export function reportStorageProblem(kind: StorageProblemKind, error: unknown): void {
  const current = storageHealth.get();
  if (current?.kind === "quota" && kind !== "quota") return;
  if (current?.kind === kind) return;
  const detail = error instanceof Error || error instanceof DOMException ? `${error.name}: ${error.message}` : String(error);
  storageHealth.set({ kind, detail });
}

/** A write went through again (space was freed): the warning can go. */
export function storageRecovered(): void {
  if (storageHealth.get()?.kind !== "unavailable") storageHealth.set(null);
}

/**
 * Asks the browser to keep our data under storage pressure instead of evicting it (Chromium
 * grants it to sites people use; elsewhere it may be a no-op). Never throws.
 */
export async function askForPersistentStorage(): Promise<boolean> {
  try {
    if (typeof navigator === "undefined" || !navigator.storage?.persist) return false;
    if (await navigator.storage.persisted()) return true;
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}
