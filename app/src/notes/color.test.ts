import { describe, expect, it } from "vitest";
import { hexColor } from "./color";

describe("caret colours", () => {
  it("writes hsl colours as #rrggbb and leaves hex alone", () => {
    expect(hexColor("hsl(0 100% 50%)")).toBe("#ff0000");
    expect(hexColor("hsl(120 100% 25%)")).toBe("#008000");
    expect(hexColor("hsl(210 65% 45%)")).toBe("#2873bd");
    expect(hexColor("#2563eb")).toBe("#2563eb");
    expect(hexColor("rebeccapurple")).toBe("#888888");
  });
});
