// What the server has acknowledged, as a state vector kept per document (and on disk, so it
// survives offline reloads). An item is acknowledged when its clock is below the vector's
// entry for its client: that is how a message knows it is still waiting to sync, and how a
// reconnect notices that the server has forgotten what it once acknowledged (a reset).
//
// Sources of truth: when the provider is synced and has no unacknowledged change, everything
// in the document is on the server (Hocuspocus acknowledges each applied update, SPEC DUR-2);
// every update that came from the server is on the server too (its store is contiguous per
// client, so the update's end clocks are known there).
import type { HocuspocusProvider } from "@hocuspocus/provider";
import * as Y from "yjs";
import { createStore, type Store } from "../store";

export type StateVector = Map<number, number>;

/** Raises `into` to at least `from`, client by client; true when anything grew. */
export function mergeVector(into: StateVector, from: StateVector): boolean {
  let grew = false;
  for (const [client, clock] of from) {
    if (clock > (into.get(client) ?? 0)) {
      into.set(client, clock);
      grew = true;
    }
  }
  return grew;
}

/** True when the server's state lacks something it acknowledged before: it was reset or re-imported. */
export function serverForgot(acknowledged: StateVector, server: StateVector): boolean {
  for (const [client, clock] of acknowledged) if ((server.get(client) ?? 0) < clock) return true;
  return false;
}

/** True when `type` (a message's Y.Map, say) was created in content the server acknowledged. */
export function isAcknowledgedIn(acknowledged: StateVector, type: Y.AbstractType<any>): boolean {
  const id = type._item?.id;
  if (!id) return true; // root types exist everywhere
  return id.clock < (acknowledged.get(id.client) ?? 0);
}

/** True when the document holds content beyond the acknowledged vector. */
export function hasUnacknowledged(doc: Y.Doc, acknowledged: StateVector): boolean {
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
    if (clock > (acknowledged.get(client) ?? 0)) return true;
  }
  return false;
}

export class AckTracker {
  readonly acknowledged: StateVector = new Map();
  /** Bumps whenever what is acknowledged, or what there is to acknowledge, may have changed. */
  readonly version: Store<number> = createStore(0);
  private persistTimer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;
  private started = false;

  constructor(
    private readonly doc: Y.Doc,
    private readonly provider: HocuspocusProvider,
    private readonly persist: (vector: Uint8Array) => void,
    private readonly persistEveryMs = 250,
  ) {
    provider.on("unsyncedChanges", this.onProviderChange);
    provider.on("synced", this.onProviderChange);
    // A reload right after an acknowledgement must not forget it.
    if (typeof window !== "undefined") window.addEventListener("pagehide", this.flush);
  }

  /**
   * Starts following document updates. Called when the document goes on the network, not
   * before: while any "update" listener exists, Yjs re-encodes every transaction, which for
   * the load of a large cached document costs as much as a fifth of the load itself.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.doc.on("update", this.onUpdate);
  }

  /** Adds what an earlier session recorded (read from the cache). */
  restore(vector: Uint8Array | null): void {
    if (!vector) return;
    try {
      if (mergeVector(this.acknowledged, Y.decodeStateVector(vector))) this.bump();
    } catch {
      // A damaged record only means fewer things count as acknowledged.
    }
  }

  /** The acknowledged vector, encoded (stored with each cache write). */
  encoded(): Uint8Array {
    return Y.encodeStateVector(this.acknowledged);
  }

  isAcknowledged(type: Y.AbstractType<any>): boolean {
    return isAcknowledgedIn(this.acknowledged, type);
  }

  hasUnacknowledged(): boolean {
    return hasUnacknowledged(this.doc, this.acknowledged);
  }

  /** Called with the state vector of the server's sync step 1. */
  serverForgot(serverVector: Uint8Array): boolean {
    try {
      return serverForgot(this.acknowledged, Y.decodeStateVector(serverVector));
    } catch {
      return false;
    }
  }

  destroy(): void {
    this.doc.off("update", this.onUpdate);
    this.provider.off("unsyncedChanges", this.onProviderChange);
    this.provider.off("synced", this.onProviderChange);
    if (typeof window !== "undefined") window.removeEventListener("pagehide", this.flush);
    this.flush();
  }

  /** Writes the acknowledged vector now if it changed since the last write. */
  readonly flush = (): void => {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = null;
    if (!this.dirty) return;
    this.dirty = false;
    this.persist(Y.encodeStateVector(this.acknowledged));
  };

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider && mergeVector(this.acknowledged, Y.parseUpdateMeta(update).to)) this.schedulePersist();
    this.bump();
  };

  private readonly onProviderChange = (): void => {
    if (!this.provider.isSynced || this.provider.unsyncedChanges > 0) return;
    if (mergeVector(this.acknowledged, Y.decodeStateVector(Y.encodeStateVector(this.doc)))) this.schedulePersist();
    this.bump();
  };

  private bump(): void {
    this.version.set(this.version.get() + 1);
  }

  private schedulePersist(): void {
    this.dirty = true;
    if (this.persistTimer) return;
    this.persistTimer = setTimeout(this.flush, this.persistEveryMs);
  }
}
