// A context holds a fixed number of sequences; each reply needs one for as long as it runs.
// Requests beyond that wait here, first come first served (SPEC LLM-6). A free sequence goes
// to the request whose prompt starts like the one it last evaluated, because llama.cpp then
// reuses that prefix of its KV cache instead of reading the whole prompt again.

export interface Lease<T> {
  readonly item: T;
  /** Gives the item back; the next waiting request gets it at once. */
  release(): void;
}

interface Slot<T> {
  item: T;
  /** The prompt it last served, one entry per turn. */
  prompt: readonly string[];
}

interface Waiter<T> {
  prompt: readonly string[];
  resolve(lease: Lease<T>): void;
  reject(reason: unknown): void;
  cleanup(): void;
}

export class SequencePool<T> {
  private readonly idle: Slot<T>[];
  private readonly waiters: Waiter<T>[] = [];
  private closed: Error | undefined;
  readonly size: number;

  constructor(items: readonly T[]) {
    this.idle = items.map((item) => ({ item, prompt: [] }));
    this.size = items.length;
  }

  get busy(): number {
    return this.size - this.idle.length;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a free item; rejects with the signal's reason if aborted while waiting. */
  acquire(prompt: readonly string[], signal: AbortSignal): Promise<Lease<T>> {
    if (this.closed) return Promise.reject(this.closed);
    if (signal.aborted) return Promise.reject(signal.reason);
    const slot = this.takeBestFor(prompt);
    if (slot) return Promise.resolve(this.lease(slot, prompt));
    return new Promise<Lease<T>>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal.reason);
      };
      const waiter: Waiter<T> = {
        prompt,
        resolve,
        reject,
        cleanup: () => signal.removeEventListener("abort", onAbort),
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Refuses new requests and fails the waiting ones; leased items come back as usual. */
  close(reason: Error): void {
    this.closed = reason;
    for (const waiter of this.waiters.splice(0)) {
      waiter.cleanup();
      waiter.reject(reason);
    }
  }

  private lease(slot: Slot<T>, prompt: readonly string[]): Lease<T> {
    let released = false;
    return {
      item: slot.item,
      release: () => {
        if (released) return;
        released = true;
        this.giveBack({ item: slot.item, prompt });
      },
    };
  }

  private giveBack(slot: Slot<T>): void {
    const waiter = this.waiters.shift();
    if (!waiter) {
      this.idle.push(slot);
      return;
    }
    waiter.cleanup();
    waiter.resolve(this.lease(slot, waiter.prompt));
  }

  private takeBestFor(prompt: readonly string[]): Slot<T> | undefined {
    if (this.idle.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.idle.length; i++) {
      if (sharedTurns(this.idle[i]!.prompt, prompt) > sharedTurns(this.idle[best]!.prompt, prompt)) best = i;
    }
    return this.idle.splice(best, 1)[0];
  }
}

function sharedTurns(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
