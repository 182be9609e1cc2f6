// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from "vitest";
import { forgetScreen, keepScreen, readKeptScreen } from "./screens";

beforeEach(() => localStorage.clear());

describe("kept first screens (OFF-LARGE-3: painted before IndexedDB opens, bounded)", () => {
  it("keeps a screen per user and document and reads it back", () => {
    keepScreen("u1", "ws/w/conv/a", { v: 1, messages: ["x"] });
    expect(readKeptScreen("u1", "ws/w/conv/a")).toEqual({ v: 1, messages: ["x"] });
    expect(readKeptScreen("u2", "ws/w/conv/a")).toBeNull();
    forgetScreen("u1", "ws/w/conv/a");
    expect(readKeptScreen("u1", "ws/w/conv/a")).toBeNull();
  });

  it("keeps only the most recently kept 24, and nothing oversized", () => {
    for (let i = 0; i < 30; i++) keepScreen("u1", `ws/w/conv/c${i}`, { i });
    expect(readKeptScreen("u1", "ws/w/conv/c29")).toEqual({ i: 29 });
    expect(readKeptScreen("u1", "ws/w/conv/c6")).toEqual({ i: 6 });
    expect(readKeptScreen("u1", "ws/w/conv/c5")).toBeNull();
    expect(Object.keys(localStorage).filter((k) => k.startsWith("junokit.screen.u1."))).toHaveLength(24);
    keepScreen("u1", "ws/w/conv/c29", { big: "x".repeat(70_000) });
    expect(readKeptScreen("u1", "ws/w/conv/c29")).toBeNull();
  });
});
