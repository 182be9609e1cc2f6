import { describe, expect, it } from "vitest";
import { SequencePool } from "./sequence-pool";

const never = new AbortController().signal;

describe("SequencePool", () => {
  it("LLM-6 hands out every item, then queues requests first come first served", async () => {
    const pool = new SequencePool(["a", "b"]);
    const first = await pool.acquire(["x"], never);
    const second = await pool.acquire(["y"], never);
    expect(new Set([first.item, second.item])).toEqual(new Set(["a", "b"]));
    expect(pool.busy).toBe(2);

    const order: string[] = [];
    const third = pool.acquire(["p"], never).then((lease) => (order.push("third"), lease));
    const fourth = pool.acquire(["q"], never).then((lease) => (order.push("fourth"), lease));
    expect(pool.waiting).toBe(2);

    second.release();
    const got = await third;
    expect(got.item).toBe(second.item);
    expect(order).toEqual(["third"]);
    first.release();
    expect((await fourth).item).toBe(first.item);
    expect(order).toEqual(["third", "fourth"]);
    expect(pool.waiting).toBe(0);
  });

  it("LLM-6 a request aborted while waiting leaves the queue and rejects with the signal's reason", async () => {
    const pool = new SequencePool(["only"]);
    const held = await pool.acquire([], never);
    const controller = new AbortController();
    const waiting = pool.acquire([], controller.signal);
    const next = pool.acquire([], never);
    controller.abort(new Error("stopped by Alice"));
    await expect(waiting).rejects.toThrow("stopped by Alice");
    expect(pool.waiting).toBe(1);
    held.release();
    expect((await next).item).toBe("only");
  });

  it("LLM-6 releasing twice returns the item once", async () => {
    const pool = new SequencePool(["a", "b"]);
    const lease = await pool.acquire([], never);
    lease.release();
    lease.release();
    expect(pool.busy).toBe(0);
    await pool.acquire([], never);
    await pool.acquire([], never);
    expect(pool.busy).toBe(2);
  });

  it("prefers the free item that last served a prompt starting the same way", async () => {
    const pool = new SequencePool(["a", "b", "c"]);
    const leases = await Promise.all([pool.acquire(["sys", "alice"], never), pool.acquire(["sys", "bob"], never), pool.acquire(["other"], never)]);
    const bobs = leases[1]!.item;
    leases.forEach((lease) => lease.release());
    const next = await pool.acquire(["sys", "bob", "answer", "bob again"], never);
    expect(next.item).toBe(bobs);
  });

  it("close fails waiting requests and refuses new ones", async () => {
    const pool = new SequencePool(["a"]);
    await pool.acquire([], never);
    const waiting = pool.acquire([], never);
    pool.close(new Error("shutting down"));
    await expect(waiting).rejects.toThrow("shutting down");
    await expect(pool.acquire([], never)).rejects.toThrow("shutting down");
  });
});
