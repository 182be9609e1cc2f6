// A document as an append-only log of Yjs updates in LevelDB (SPEC.md STO-1…STO-5).
// Every operation on one document runs through one per-document queue, so an append never
// lands between the read and the write of a compaction.
import * as Y from "yjs";
import type { Logger } from "../log";
import { compositeKey, keySuffix, prefixRange, type Sublevels } from "./level-layout";
import type { SerialByKey } from "./serial-by-key";
import type { DocumentStore } from "./types";

/** Wide enough for Number.MAX_SAFE_INTEGER, so keys sort in append order. */
const SEQ_DIGITS = 16;

interface LogState {
  nextSeq: number;
  entries: number;
  /** Compact in the background once `entries` reaches this. */
  compactAt: number;
  compactionQueued: boolean;
}

export class LevelDocumentLog implements DocumentStore {
  private readonly states = new Map<string, LogState>();
  private readonly retryAfter: number;

  constructor(
    private readonly entries: Sublevels["documents"],
    private readonly queue: SerialByKey,
    private readonly compactAfter: number,
    private readonly logger: Logger,
  ) {
    // A failed compaction is retried after a tenth more appends, not on every single one.
    this.retryAfter = Math.max(1, Math.ceil(compactAfter / 10));
  }

  async loadDocument(name: string): Promise<Uint8Array[]> {
    return this.inOrder(name, () => this.entries.values(prefixRange(name)).all());
  }

  async appendUpdate(name: string, update: Uint8Array): Promise<void> {
    return this.inOrder(name, async () => {
      const state = await this.stateOf(name);
      await this.entries.put(entryKey(name, state.nextSeq), update);
      state.nextSeq += 1;
      state.entries += 1;
      if (state.entries >= state.compactAt && !state.compactionQueued) this.compactInBackground(name, state);
    });
  }

  async compactDocument(name: string): Promise<void> {
    return this.inOrder(name, () => this.compact(name));
  }

  async documentSize(name: string): Promise<number> {
    return this.inOrder(name, async () => {
      let bytes = 0;
      for await (const value of this.entries.values(prefixRange(name))) bytes += value.byteLength;
      return bytes;
    });
  }

  async deleteDocument(name: string): Promise<void> {
    return this.inOrder(name, async () => {
      await this.entries.clear(prefixRange(name));
      this.states.delete(name);
    });
  }

  private inOrder<T>(name: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(compositeKey("document", name), task);
  }

  /** Queued behind the current append; the append itself does not wait for it. */
  private compactInBackground(name: string, state: LogState): void {
    state.compactionQueued = true;
    this.inOrder(name, () => this.compact(name))
      .catch((err: unknown) => {
        this.logger.error({ err, document: name }, "document compaction failed; log kept, will retry");
      })
      .finally(() => {
        state.compactionQueued = false;
      });
  }

  /**
   * Merges the whole log into one update stored under the last entry's key, and deletes the
   * other entries, in one atomic batch: after a crash the old log or the new one is on disk.
   */
  private async compact(name: string): Promise<void> {
    const state = await this.stateOf(name);
    try {
      const log = await this.entries.iterator(prefixRange(name)).all();
      const last = log.at(-1);
      if (!last || log.length < 2) return;
      const merged = Y.mergeUpdates(log.map(([, update]) => update));
      const batch = this.entries.batch();
      for (const [key] of log.slice(0, -1)) batch.del(key);
      batch.put(last[0], merged);
      await batch.write();
      state.entries = 1;
      state.compactAt = 1 + this.compactAfter;
    } catch (err) {
      state.compactAt = state.entries + this.retryAfter;
      throw err;
    }
  }

  /** On first use (also after a restart) the next seq and entry count come from the stored keys. */
  private async stateOf(name: string): Promise<LogState> {
    const known = this.states.get(name);
    if (known) return known;
    const keys = await this.entries.keys(prefixRange(name)).all();
    const last = keys.at(-1);
    const state: LogState = {
      nextSeq: last === undefined ? 0 : Number(keySuffix(last, name)) + 1,
      entries: keys.length,
      compactAt: this.compactAfter,
      compactionQueued: false,
    };
    this.states.set(name, state);
    return state;
  }
}

function entryKey(name: string, seq: number): string {
  return compositeKey(name, String(seq).padStart(SEQ_DIGITS, "0"));
}
