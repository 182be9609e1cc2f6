import { describe, expect, it } from "vitest";
import { around, earlier, later, latestWindow, FIRST_PAGE, MAX_RENDERED, PAGE, windowRange } from "./window";

describe("message window (OFF-LARGE-1: a long conversation renders a bounded slice)", () => {
  it("starts with the newest page and follows new messages", () => {
    const w = latestWindow(10_000);
    expect(windowRange(w, 10_000)).toEqual({ start: 10_000 - FIRST_PAGE, end: 10_000 });
    expect(windowRange(w, 10_010)).toEqual({ start: 10_000 - FIRST_PAGE, end: 10_010 });
    // Following for a long time never renders more than the maximum.
    expect(windowRange(w, 20_000)).toEqual({ start: 20_000 - MAX_RENDERED, end: 20_000 });
  });

  it("shows everything for a short conversation", () => {
    expect(windowRange(latestWindow(12), 12)).toEqual({ start: 0, end: 12 });
    expect(earlier(latestWindow(12), 12)).toEqual(latestWindow(12));
  });

  it("adds pages above when scrolling up and drops the bottom beyond the maximum", () => {
    let w = latestWindow(10_000);
    for (let i = 0; i < 4; i++) w = earlier(w, 10_000);
    expect(windowRange(w, 10_000)).toEqual({ start: 10_000 - FIRST_PAGE - 4 * PAGE, end: 10_000 });
    expect(w.end).toBeNull();
    for (let i = 0; i < 3; i++) w = earlier(w, 10_000);
    const range = windowRange(w, 10_000);
    expect(range.end - range.start).toBe(MAX_RENDERED);
    expect(range.start).toBe(10_000 - FIRST_PAGE - 7 * PAGE);
    expect(w.end).not.toBeNull();
    // Scrolling down again comes back to following the newest message.
    for (let i = 0; i < 10; i++) w = later(w, 10_000);
    expect(w.end).toBeNull();
    expect(windowRange(w, 10_000).end).toBe(10_000);
  });

  it("centres a given message and clamps at both ends", () => {
    expect(windowRange(around(5000, 10_000), 10_000)).toEqual({ start: 5000 - PAGE / 2, end: 5000 + PAGE / 2 });
    expect(around(3, 10_000)).toEqual({ start: 0, end: PAGE });
    expect(around(9_999, 10_000)).toEqual({ start: 10_000 - PAGE, end: null });
  });

  it("stays valid when the conversation shrinks (a reset)", () => {
    const w = around(5000, 10_000);
    expect(windowRange(w, 100)).toEqual({ start: 100 - FIRST_PAGE, end: 100 });
  });
});
