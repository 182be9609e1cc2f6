import { Awareness } from "y-protocols/awareness";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { announce, createTypingSignal } from "./announce";
import { derivePresence } from "./derive";

const ann = { id: "u-ann", username: "ann", displayName: "Ann" };

afterEach(() => {
  vi.useRealTimers();
});

/** Counts awareness updates this client would send over the wire. */
function watch(awareness: Awareness) {
  let updates = 0;
  awareness.on("update", () => updates++);
  return () => updates;
}

describe("typing signal (APP-PRES-2: throttled, cleared when idle, on send and on leave)", () => {
  it("announces the user and clears the state on leave", () => {
    const awareness = new Awareness(new Y.Doc());
    const leave = announce(awareness, ann, "c1");
    expect(derivePresence(awareness.getStates(), "x").here.map((p) => [p.name, p.viewing])).toEqual([["Ann", "c1"]]);
    leave();
    expect(awareness.getLocalState()).toBeNull();
  });

  it("sends one update when typing starts, none per further keystroke, one when it stops", () => {
    const awareness = new Awareness(new Y.Doc());
    announce(awareness, ann);
    const sent = watch(awareness);
    const typing = createTypingSignal(awareness, 3000);
    for (let i = 0; i < 20; i++) typing.input(false);
    expect(sent()).toBe(1);
    expect(derivePresence(awareness.getStates(), "other").typing.map((p) => p.name)).toEqual(["Ann"]);
    typing.stop();
    expect(sent()).toBe(2);
    expect(derivePresence(awareness.getStates(), "other").typing).toEqual([]);
  });

  it("stops by itself after the idle time", () => {
    vi.useFakeTimers();
    const awareness = new Awareness(new Y.Doc());
    announce(awareness, ann);
    const typing = createTypingSignal(awareness, 3000);
    typing.input(false);
    vi.advanceTimersByTime(2999);
    expect(awareness.getLocalState()?.typing).toBe(true);
    vi.advanceTimersByTime(1);
    expect(awareness.getLocalState()?.typing).toBe(false);
    awareness.destroy();
  });

  it("stops when the draft is emptied, and never resurrects a state after leaving", () => {
    const awareness = new Awareness(new Y.Doc());
    const leave = announce(awareness, ann);
    const typing = createTypingSignal(awareness, 3000);
    typing.input(false);
    typing.input(true);
    expect(awareness.getLocalState()?.typing).toBe(false);
    leave();
    typing.input(false);
    expect(awareness.getLocalState()).toBeNull();
    typing.stop();
  });
});
