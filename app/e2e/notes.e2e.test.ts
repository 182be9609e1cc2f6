// End-to-end: shared notes in two browsers against the real server and the local
// OpenAI-compatible endpoint (SPEC NOTE-E2E-1): Ann asks the AI to rewrite her selection, Bob
// watches the AI's caret and text arrive, then undoes the AI run and Ann sees it go.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiSse } from "../../collab-server/test/support/openai-sse";
import { addMember, startTestServer, workspaceWithConversation, type Session, type TestServer } from "../../collab-server/test/support/server";
import { APP_DIST, ensureAppBuilt, launchBrowser, openPerson, screenshot, signIn, type Debug, type Person } from "./support";

let server: TestServer;
let llm: Awaited<ReturnType<typeof startOpenAiSse>>;
let browser: Browser;
let ann: Person;
let bob: Person;
let annSession: Session;
let bobSession: Session;
let viewerSession: Session;
let docName = "";
let url = "";

beforeAll(async () => {
  await ensureAppBuilt();
  llm = await startOpenAiSse();
  server = await startTestServer({ appDist: APP_DIST, env: { AI_BASE_URL: llm.baseUrl, AI_API_KEY: "sk-local", AI_MODEL: "test-model" } });
  const conversation = await workspaceWithConversation(server.url, { ai: "off" });
  annSession = conversation.owner;
  bobSession = await addMember(server.url, annSession, conversation.workspaceId, "editor");
  viewerSession = await addMember(server.url, annSession, conversation.workspaceId, "viewer");
  docName = conversation.docName;
  url = `${server.url}/#/w/${conversation.workspaceId}/c/${conversation.conversationId}`;
  browser = await launchBrowser();
  ann = await openPerson(browser, "ann");
  bob = await openPerson(browser, "bob");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await llm?.close();
});

async function signInAndOpenNotes(person: Person, session: Session): Promise<void> {
  const { page } = person;
  await signIn(page, url, session.user.username);
  await page.locator('.conversation[data-synced="true"]').waitFor();
  await page.getByRole("button", { name: "Notes" }).click();
  await page.locator(".notes__doc").waitFor();
}

/** The notes as plain text in this page's copy of the document (carets' labels are not text). */
function notesText(page: Page): Promise<string> {
  return page.evaluate((name) => {
    const debug = (window as unknown as { __junokit: Debug }).__junokit;
    return debug.model.notesJsonText(debug.model.readNotesJson(debug.doc(name)));
  }, docName);
}

/** The text of each AI run in this page's copy (what carries the AI's mark). */
function runTexts(page: Page): Promise<string[]> {
  return page.evaluate((name) => {
    const debug = (window as unknown as { __junokit: Debug }).__junokit;
    return [...debug.model.noteRunTexts(debug.doc(name)).values()];
  }, docName);
}

function blockTypes(page: Page): Promise<string[]> {
  return page.evaluate((name) => {
    const debug = (window as unknown as { __junokit: Debug }).__junokit;
    return (debug.model.readNotesJson(debug.doc(name)).content ?? []).map((n) => n.type);
  }, docName);
}

describe("notes co-edited with the AI in two browsers (NOTE-E2E-1)", () => {
  it("both open the notes; Ann's typing reaches Bob", async () => {
    await signInAndOpenNotes(ann, annSession);
    await signInAndOpenNotes(bob, bobSession);
    await ann.page.locator(".notes__doc").click();
    await ann.page.keyboard.type("## Launch\nOur launch plan is rough and long", { delay: 5 });
    await expect.poll(() => notesText(bob.page)).toBe("Launch\nOur launch plan is rough and long");
    await bob.page.locator(".notes__doc h2", { hasText: "Launch" }).waitFor();
  });

  it("Bob sees the AI's caret and its text stream in while Ann's selection is rewritten", async () => {
    llm.when("rough and long", { steps: [{ content: "clear", delayMs: 20 }, { content: " and", delayMs: 20 }, { gate: "notes-e2e" }, { content: " short" }, { finish: "stop" }, { done: true }] }, { once: true });
    for (let i = 0; i < "rough and long".length; i++) await ann.page.keyboard.press("Shift+ArrowLeft");
    await ann.page.getByLabel("What the AI should do").selectOption("rewrite");
    await ann.page.getByRole("button", { name: "Ask AI" }).click();

    await bob.page.locator(".collaboration-carets__caret--ai .collaboration-carets__label", { hasText: "Dev (AI)" }).waitFor();
    await expect.poll(() => notesText(bob.page)).toBe("Launch\nOur launch plan is rough and longclear and");
    await bob.page.locator(".notes__doc .ai-run", { hasText: "clear and" }).waitFor();
    await bob.page.locator(".notes__run", { hasText: "asked by" }).getByText("writing…").waitFor();
    await screenshot(bob.page, "notes-01-bob-sees-ai-caret");

    llm.release("notes-e2e");
    await expect.poll(() => notesText(ann.page)).toBe("Launch\nOur launch plan is clear and short");
    await expect.poll(() => notesText(bob.page)).toBe("Launch\nOur launch plan is clear and short");
    await bob.page.locator(".collaboration-carets__caret--ai").waitFor({ state: "detached" });
    await ann.page.locator(".notes__run").getByText("done").waitFor();
    await screenshot(ann.page, "notes-02-ann-after-rewrite");
  });

  it("Bob types inside and after the AI's text, then undoes the AI run: Ann sees her words back and Bob's kept", async () => {
    // Inside the AI's span (after "clear") and right after it: Bob's text is his, not the AI's.
    await bob.page.locator(".notes__doc").click();
    await bob.page.keyboard.press("Control+End");
    await bob.page.keyboard.press("Home");
    for (let i = 0; i < "Our launch plan is clear".length; i++) await bob.page.keyboard.press("ArrowRight");
    await bob.page.keyboard.type(" very", { delay: 5 });
    await bob.page.keyboard.press("End");
    await bob.page.keyboard.type(" really\nBob adds a line", { delay: 5 });
    await expect.poll(() => notesText(ann.page)).toBe("Launch\nOur launch plan is clear very and short really\nBob adds a line");
    expect(await runTexts(bob.page)).toEqual(["clear and short"]);

    await bob.page.getByRole("button", { name: "Undo this AI run" }).click();
    const expected = "Launch\nOur launch plan is rough and long very really\nBob adds a line";
    await expect.poll(() => notesText(ann.page)).toBe(expected);
    expect(await notesText(bob.page)).toBe(expected);
    expect(await blockTypes(ann.page)).toEqual(["heading", "paragraph", "paragraph"]);
    await ann.page.locator(".notes__run").getByText("undone").waitFor();
    expect(await ann.page.locator(".notes__doc .ai-run").count()).toBe(0);
    await screenshot(ann.page, "notes-03-ann-after-bob-undid");
    expect(ann.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });

  it("a viewer reads the notes but cannot edit them", async () => {
    const viewer = await openPerson(browser, "viewer");
    await signInAndOpenNotes(viewer, viewerSession);
    await expect.poll(() => notesText(viewer.page)).toBe("Launch\nOur launch plan is rough and long very really\nBob adds a line");
    expect(await viewer.page.locator(".notes__doc").getAttribute("contenteditable")).toBe("false");
    await viewer.page.getByRole("note").filter({ hasText: "viewers can't edit" }).waitFor();
    expect(await viewer.page.getByRole("button", { name: "Ask AI" }).count()).toBe(0);
    await viewer.context.close();
  });

  it("Ann writes notes and asks the AI while offline; both reach Bob, and the AI answers, once she is back", async () => {
    llm.when("Offline line", { steps: [{ content: " then online" }, { finish: "stop" }, { done: true }] }, { once: true });
    await ann.context.setOffline(true);
    await ann.page.locator('[data-connection="offline"]').waitFor();
    await ann.page.locator(".notes__doc").click();
    await ann.page.keyboard.press("Control+End");
    await ann.page.keyboard.type("\nOffline line", { delay: 5 });
    await ann.page.getByLabel("What the AI should do").selectOption("continue");
    await ann.page.getByRole("button", { name: "Ask AI" }).click();
    await ann.page.locator(".notes__run").getByText("waiting…").waitFor();
    expect(await notesText(bob.page)).not.toContain("Offline line");
    await ann.context.setOffline(false);
    const expected = "Launch\nOur launch plan is rough and long very really\nBob adds a line\nOffline line then online";
    await expect.poll(() => notesText(bob.page)).toBe(expected);
    await expect.poll(() => notesText(ann.page)).toBe(expected);
    await screenshot(bob.page, "notes-04-bob-after-ann-was-offline");
  });

  it("renders every kind of block the AI writes, for everyone, without losing any (schema and provenance agree)", async () => {
    const markdown = "## Decisions\n- Ship Friday\n1. Freeze\n2. Tag\n- [ ] Write notes — Ann\n- [x] Book room\n> Keep it small\n```ts\nconst ok = true;\n```\nThat is all.";
    llm.when((r) => r.body.messages?.[1]?.content.startsWith("Turn this conversation") ?? false, { steps: [{ content: markdown }, { finish: "stop" }, { done: true }] }, { once: true });
    await ann.page.getByLabel("What the AI should do").selectOption("notes-from-chat");
    await ann.page.getByRole("button", { name: "Ask AI" }).click();
    const doc = bob.page.locator(".notes__doc");
    await doc.locator("h2", { hasText: "Decisions" }).waitFor();
    await doc.locator("ul:not([data-type]) li", { hasText: "Ship Friday" }).waitFor();
    await doc.locator("ol li", { hasText: "Tag" }).waitFor();
    await doc.locator('ul[data-type="taskList"] li[data-checked="true"]', { hasText: "Book room" }).waitFor();
    await doc.locator("blockquote", { hasText: "Keep it small" }).waitFor();
    await doc.locator("pre code .hljs-keyword", { hasText: "const" }).waitFor();
    await expect.poll(() => blockTypes(ann.page)).toEqual([
      "heading", "paragraph", "paragraph", "paragraph", "heading", "bulletList", "orderedList", "taskList", "blockquote", "codeBlock", "paragraph",
    ]);
    expect(await blockTypes(bob.page)).toEqual(await blockTypes(ann.page));
    await screenshot(bob.page, "notes-05-ai-blocks");
    expect(ann.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });
});
