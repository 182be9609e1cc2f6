// The shape of window.__junokit as the tests use it inside pages (see src/connection/debug.ts):
// the documents they ask for are known to be open.
import type { HocuspocusProvider } from "@hocuspocus/provider";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import type { DebugHandle } from "../../src/connection/debug";

export type Debug = Omit<DebugHandle, "doc" | "provider"> & {
  doc(name: string): Y.Doc;
  provider(name: string): HocuspocusProvider & { awareness: Awareness };
};
