import { describe, expect, it } from "vitest";
import { plainPreview } from "./preview";

describe("sidebar preview (APP-WS-2: one plain line without Markdown markers)", () => {
  it("drops emphasis, links, headings, lists and code fences", () => {
    expect(plainPreview("Hi Ann! **Ready** to `go`:\n\n```ts\nconst ok = true;\n```")).toBe("Hi Ann! Ready to go: [code]");
    expect(plainPreview("# Plan\n- see [docs](https://x.example)\n> quoted _bit_")).toBe("Plan see docs quoted bit");
    expect(plainPreview("![cat](https://i.example/c.png) hello")).toBe("[image: cat] hello");
  });
  it("keeps text that only looks like markers", () => {
    expect(plainPreview("2 * 3 = 6 and snake_case_name")).toBe("2 * 3 = 6 and snake_case_name");
  });
});
