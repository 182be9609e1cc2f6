import { describe, expect, it } from "vitest";
import { AWARENESS_VIEWING, readPeer, readViewing } from "./awareness";

describe("awareness fields (DESIGN.md §4, APP-PRES-1 viewing)", () => {
  it("reads the conversation a peer has open, and nothing from junk", () => {
    expect(readViewing({ user: { id: "u" }, [AWARENESS_VIEWING]: "c1" })).toBe("c1");
    expect(readViewing({ user: { id: "u" }, [AWARENESS_VIEWING]: null })).toBeNull();
    expect(readViewing({ user: { id: "u" }, [AWARENESS_VIEWING]: 42 })).toBeNull();
    expect(readViewing({ user: { id: "u" }, [AWARENESS_VIEWING]: "" })).toBeNull();
    expect(readViewing(null)).toBeNull();
    expect(readViewing("viewing")).toBeNull();
  });

  it("keeps the viewing field among a peer's extra fields", () => {
    expect(readPeer({ user: { id: "u", name: "Ann" }, typing: true, [AWARENESS_VIEWING]: "c2" })?.[AWARENESS_VIEWING]).toBe("c2");
  });
});
