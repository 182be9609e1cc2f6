// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { highlight } from "./highlight";
import { hasCodeBlock, loadableImageUrl, renderMarkdown } from "./render";

/** Renders into a real (jsdom) DOM so the checks look at what a browser would build. */
function dom(source: string, withHighlight = false): HTMLElement {
  const host = document.createElement("div");
  host.innerHTML = renderMarkdown(source, withHighlight ? highlight : null);
  return host;
}

function eventHandlerAttributes(root: HTMLElement): string[] {
  return [...root.querySelectorAll("*")].flatMap((el) => [...el.attributes].map((a) => a.name).filter((n) => n.startsWith("on")));
}

describe("markdown rendering (APP-MD-1: messages render inert)", () => {
  it("renders GFM: emphasis, lists, tables, task lists, strikethrough", () => {
    const root = dom("**bold** _it_ ~~gone~~\n\n- a\n- [x] done\n\n| h |\n|---|\n| c |");
    expect(root.querySelector("strong")?.textContent).toBe("bold");
    expect(root.querySelector("em")?.textContent).toBe("it");
    expect(root.querySelector("del")?.textContent).toBe("gone");
    expect(root.querySelectorAll("li")).toHaveLength(2);
    expect(root.querySelector("td")?.textContent).toBe("c");
    const box = root.querySelector("input");
    expect(box?.getAttribute("type")).toBe("checkbox");
    expect(box?.hasAttribute("disabled")).toBe(true);
  });

  it("shows raw HTML as text: <img onerror> creates no element and no handler", () => {
    const root = dom('hi <img src=x onerror="alert(1)"> there');
    expect(root.querySelector("img")).toBeNull();
    expect(eventHandlerAttributes(root)).toEqual([]);
    expect(root.textContent).toContain('<img src=x onerror="alert(1)">');
  });

  it("shows a <script> block as text, never as a script element", () => {
    const root = dom("<script>window.pwned = 1</script>\n\nafter");
    expect(root.querySelector("script")).toBeNull();
    expect(root.textContent).toContain("<script>window.pwned = 1</script>");
  });

  it("neutralises javascript: links in every Markdown form", () => {
    const root = dom(
      "[click](javascript:alert(1)) [ref][r] <javascript:alert(2)> [x](JaVaScRiPt:alert(3)) [d](data:text/html,hi)\n\n[r]: javascript:alert(4)",
    );
    const hrefs = [...root.querySelectorAll("a")].map((a) => a.getAttribute("href") ?? "");
    expect(hrefs.filter((h) => /^\s*(javascript|data):/i.test(h))).toEqual([]);
    expect(root.textContent).toContain("click");
  });

  it("keeps web links, opening them in a new tab without the opener", () => {
    const a = dom("[docs](https://example.com/a?b=1)").querySelector("a");
    expect(a?.getAttribute("href")).toBe("https://example.com/a?b=1");
    expect(a?.getAttribute("target")).toBe("_blank");
    expect(a?.getAttribute("rel")).toContain("noopener");
  });

  it("does not load remote images: they become a click-to-load button", () => {
    const root = dom("![cat](https://images.example.com/cat.png)");
    expect(root.querySelector("img")).toBeNull();
    const button = root.querySelector("button.md-remote-image__load") as HTMLButtonElement | null;
    expect(button?.dataset.remoteSrc).toBe("https://images.example.com/cat.png");
    expect(root.textContent).toContain("images.example.com");
  });

  it("drops non-web image sources entirely", () => {
    const root = dom("![x](javascript:alert(1)) ![y](data:image/svg+xml,<svg onload=alert(1)>)");
    expect(root.querySelector("img, svg, button")).toBeNull();
    expect(eventHandlerAttributes(root)).toEqual([]);
  });

  it("highlights fenced code and escapes it without the highlighter", () => {
    const src = "```ts\nconst a = 1 < 2;\n```";
    expect(hasCodeBlock(src)).toBe(true);
    const plain = dom(src).querySelector("pre code");
    expect(plain?.textContent).toBe("const a = 1 < 2;");
    expect(plain?.querySelector("span")).toBeNull();
    const lit = dom(src, true).querySelector("pre code");
    expect(lit?.textContent).toBe("const a = 1 < 2;");
    expect(lit?.querySelector("span.hljs-keyword")?.textContent).toBe("const");
  });

  it("keeps code that looks like HTML as text inside code blocks", () => {
    const root = dom('```html\n<img src=x onerror="alert(1)">\n```', true);
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("code")?.textContent).toContain("onerror");
    expect(eventHandlerAttributes(root)).toEqual([]);
  });

  it("accepts only http(s) URLs for loading an image on request", () => {
    expect(loadableImageUrl("https://a.example/x.png")).toBe("https://a.example/x.png");
    expect(loadableImageUrl("javascript:alert(1)")).toBeNull();
    expect(loadableImageUrl(undefined)).toBeNull();
  });
});
