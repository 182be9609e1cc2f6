import { describe, expect, it } from "vitest";
import { makeSnippet, normalizeWord } from "./search-text";

const marked = (s: { snippet: string; highlights: [number, number][] }) => s.highlights.map(([a, b]) => s.snippet.slice(a, b));

describe("snippets", () => {
  it("shows a short text whole and marks every matched word, accents and case folded", () => {
    const s = makeSnippet("Deploy the  Café\nservice, then deploy again", new Set(["deploy", "cafe"]));
    expect(s.snippet).toBe("Deploy the Café service, then deploy again");
    expect(marked(s)).toEqual(["Deploy", "Café", "deploy"]);
  });

  it("cuts a long text around the densest cluster of matches, on word boundaries, with ellipses", () => {
    const filler = "lorem ipsum dolor sit amet ".repeat(40);
    const text = `${filler}rollback once ${filler}rollback plan and rollback drill ${filler}`;
    const s = makeSnippet(text, new Set(["rollback"]), 120);
    expect(s.snippet.startsWith("…")).toBe(true);
    expect(s.snippet.endsWith("…")).toBe(true);
    expect(s.snippet).toContain("rollback plan and rollback drill");
    expect(marked(s)).toEqual(["rollback", "rollback"]);
    expect(s.snippet.length).toBeLessThanOrEqual(122);
    expect(s.snippet).toMatch(/^…(lorem|ipsum|dolor|sit|amet) /);
  });

  it("starts at the beginning when nothing matches (title-only hits)", () => {
    const s = makeSnippet("alpha beta gamma", new Set());
    expect(s).toEqual({ snippet: "alpha beta gamma", highlights: [] });
  });

  it("folds words the same way with or without accents (SRCH-1)", () => {
    expect(["Deploy_V2", "ÉCOLE", "Ångström", "naïve", "ǅemal", "x".repeat(65)].map(normalizeWord)).toEqual(["deploy_v2", "ecole", "angstrom", "naive", "dzemal", null]);
  });
});
