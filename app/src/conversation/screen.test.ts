// @vitest-environment jsdom
import { appendMessage, conversationDocName, messageReasoning, findMessage, writeMeta } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { renderMarkdown, RENDERER } from "../markdown";
import { conversationScreen, readScreen, SCREEN_MESSAGES, screenSnapshot } from "./screen";

const name = conversationDocName("w1", "c1");

describe("kept first screen (OFF-LARGE-3: paint the newest messages before the document loads)", () => {
  it("keeps the newest messages and the meta, without reasoning or whole books", () => {
    const doc = new Y.Doc();
    writeMeta(doc, { title: "Launch", persona: "qa" });
    for (let i = 0; i < 100; i++) appendMessage(doc, { id: `m${i}`, role: "user", authorId: "u1", authorName: "Ann", createdAt: i, text: `line ${i}` });
    appendMessage(doc, { id: "long", role: "assistant", authorId: "ai", authorName: "QA", createdAt: 200, text: "x".repeat(50_000) });
    messageReasoning(findMessage(doc, "long")!).insert(0, "thinking");
    const screen = conversationScreen(name, doc)!;
    expect(screen.count).toBe(101);
    expect(screen.meta.title).toBe("Launch");
    expect(screen.messages).toHaveLength(SCREEN_MESSAGES);
    expect(screen.messages[0]!.id).toBe(`m${101 - SCREEN_MESSAGES}`);
    expect(screen.messages.at(-1)!.text.length).toBeLessThan(10_000);
    expect(screen.messages.at(-1)!.reasoning).toBeUndefined();
    // It survives the structured clone IndexedDB makes, and reads back the same.
    expect(readScreen(structuredClone(screen))).toEqual(screen);
  });

  it("is only made for conversations, and unknown shapes are ignored", () => {
    expect(conversationScreen("ws/w1/index", new Y.Doc())).toBeNull();
    expect(readScreen(null)).toBeNull();
    expect(readScreen({ v: 2, messages: [] })).toBeNull();
    expect(readScreen({ v: 1, meta: {}, messages: [{ id: 1 }, { id: "ok", text: "t", authorId: "a", createdAt: 1 }] })?.messages).toHaveLength(1);
  });
});

describe("kept first screen HTML (OFF-LARGE-5: painting the kept screen parses no Markdown)", () => {
  const withMessages = (texts: string[]) => {
    const doc = new Y.Doc();
    texts.forEach((text, i) => appendMessage(doc, { id: `m${i}`, role: "user", authorId: "u1", authorName: "Ann", createdAt: i, text }));
    return conversationScreen(name, doc)!;
  };

  it("keeps each message's rendered HTML, and reading the screen back hands it to the renderer", () => {
    const screen = withMessages(["**bold** one", "a [link](https://example.com/a)"]);
    expect(screen.html).toEqual({ renderer: RENDERER, texts: screen.messages.map((m) => renderMarkdown(m.text)) });
    expect(screen.html!.texts[1]).toContain('rel="noopener noreferrer nofollow"');
    // Kept HTML is what the renderer then returns for that text, without rendering it again.
    const kept = structuredClone(screen);
    kept.messages[0]!.text = "never rendered before";
    kept.html!.texts[0] = "<p>as kept</p>";
    screenSnapshot(readScreen(kept)!);
    expect(renderMarkdown("never rendered before")).toBe("<p>as kept</p>");
  });

  it("ignores HTML kept by another build, and keeps only what fits, newest first", () => {
    const other = structuredClone(withMessages(["from another build"]));
    other.messages[0]!.text = "another build's text";
    other.html = { renderer: "https://example.com/old-build.js", texts: ["<p>stale</p>"] };
    expect(readScreen(other)!.html).toBeUndefined();
    screenSnapshot(readScreen(other)!);
    expect(renderMarkdown("another build's text")).not.toContain("stale");

    const big = withMessages(Array.from({ length: 30 }, (_, i) => `${i} ${"**word** ".repeat(110)}`));
    const texts = big.html!.texts;
    expect(texts.at(-1)).not.toBe("");
    expect(texts[0]).toBe("");
    expect(texts.join("").length).toBeLessThanOrEqual(24_000);
  });
});
