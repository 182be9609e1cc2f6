import { describe, expect, it } from "vitest";
import { snippetParts } from "./search-api";

describe("snippetParts", () => {
  it("cuts a snippet into plain and matched pieces", () => {
    expect(snippetParts({ snippet: "…deploy the deploy bot", highlights: [[1, 7], [12, 18]] })).toEqual([
      { text: "…", match: false }, { text: "deploy", match: true }, { text: " the ", match: false }, { text: "deploy", match: true }, { text: " bot", match: false },
    ]);
  });

  it("ignores ranges that overlap or fall outside the text", () => {
    expect(snippetParts({ snippet: "abc", highlights: [[0, 2], [1, 3], [2, 9]] })).toEqual([{ text: "ab", match: true }, { text: "c", match: false }]);
  });
});
