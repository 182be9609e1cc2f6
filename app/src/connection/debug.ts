// A handle for tests and debugging: the open documents by name. Exposed outside production
// builds, or when localStorage.junokitDebug is set (the e2e tests set it).
import * as model from "@junokit/doc-model";
import type { Connection } from "./documents";

export interface DebugHandle {
  docNames(): string[];
  doc(name: string): import("yjs").Doc | undefined;
  provider(name: string): import("@hocuspocus/provider").HocuspocusProvider | undefined;
  state(name: string): import("./documents").DocumentState | undefined;
  /** Changes not yet acknowledged by the server, across open documents. */
  waiting(): number;
  /** The document model, so tests read and write documents the way the app does. */
  model: typeof model;
}

declare global {
  interface Window {
    __junokit?: DebugHandle;
  }
}

export function exposeForDebugging(connection: Connection | null): void {
  let enabled = import.meta.env.MODE !== "production";
  try {
    enabled ||= Boolean(localStorage.getItem("junokitDebug"));
  } catch {
    // Storage can be blocked; then there is simply no debug handle.
  }
  if (!enabled) return;
  if (!connection) {
    delete window.__junokit;
    return;
  }
  window.__junokit = {
    docNames: () => [...connection.openDocuments().keys()],
    doc: (name) => connection.openDocuments().get(name)?.doc,
    provider: (name) => connection.openDocuments().get(name)?.provider,
    state: (name) => connection.openDocuments().get(name)?.state.get(),
    waiting: () => connection.waiting.get(),
    model,
  };
}
