import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { relayBetweenTabs, type TabRelay } from "./tabs";

// Node has BroadcastChannel: instances in one process talk like tabs of one browser.
const relays: TabRelay[] = [];
afterEach(() => relays.splice(0).forEach((r) => r.close()));

function tab(generation = "g1", name = "junokit/u1/ws/w/conv/c") {
  const doc = new Y.Doc();
  const updates: unknown[] = [];
  doc.on("update", (_u: Uint8Array, origin: unknown) => updates.push(origin));
  const relay = relayBetweenTabs(name, doc, generation);
  relays.push(relay);
  return { doc, relay, updates };
}

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => (check() ? resolve() : Date.now() - started > 2000 ? reject(new Error("not in time")) : setTimeout(poll, 5));
    poll();
  });
}

describe("tabs in step (OFF-TABS-1: a BroadcastChannel relay without echoes)", () => {
  it("applies a change made in one tab in the others, once, and never sends it back", async () => {
    const a = tab();
    const b = tab();
    const c = tab();
    // Listens on the channel like a fourth tab, counting what is posted.
    const spy = new BroadcastChannel("junokit/u1/ws/w/conv/c");
    let posted = 0;
    spy.onmessage = () => posted++;
    a.doc.getText("t").insert(0, "typed in a");
    await until(() => b.doc.getText("t").toString() === "typed in a" && c.doc.getText("t").toString() === "typed in a");
    // Give any echo time to arrive.
    await new Promise((r) => setTimeout(r, 50));
    spy.close();
    expect(posted).toBe(1);
    expect(a.updates).toHaveLength(1);
    expect(b.updates).toHaveLength(1);
    expect(c.updates).toHaveLength(1);
    b.doc.getText("t").insert(0, "b: ");
    await until(() => a.doc.getText("t").toString() === "b: typed in a");
    expect(c.doc.getText("t").toString()).toBe("b: typed in a");
  });

  it("brings a tab that opens late up to date when it says hello", async () => {
    const early = tab();
    const late = new Y.Doc();
    early.doc.getText("t").insert(0, "written before the late tab listened");
    const relay = relayBetweenTabs("junokit/u1/ws/w/conv/c", late, "g1");
    relays.push(relay);
    relay.hello();
    await until(() => late.getText("t").toString() === "written before the late tab listened");
  });

  it("ignores tabs of another cache generation (a copy thrown away after a reset)", async () => {
    const fresh = tab("g2");
    const stale = tab("g1");
    const witness = tab("g1");
    stale.doc.getText("t").insert(0, "stale");
    await until(() => witness.doc.getText("t").toString() === "stale");
    stale.relay.hello();
    await new Promise((r) => setTimeout(r, 50));
    expect(fresh.doc.getText("t").toString()).toBe("");
  });
});
