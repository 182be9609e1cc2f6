// End-to-end: the built app, served by the real JunoKit server, driven in Debian's Chromium
// with one browser context per person (APP-E2E-1..4 in SPEC.md).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiSse, streamOf } from "../../collab-server/test/support/openai-sse";
import { startTestServer, type TestServer } from "../../collab-server/test/support/server";
import { APP_DIST, createAccount, ensureAppBuilt, launchBrowser, openPerson, screenshot, signIn, waitLive, type Debug, type Person } from "./support";

const run = Date.now().toString(36).slice(-5);

let server: TestServer;
// The only stand-in allowed: a local OpenAI-compatible endpoint for the AI peer.
let llm: Awaited<ReturnType<typeof startOpenAiSse>>;
let browser: Browser;
let ann: Person;
let bob: Person;
let conversationUrl = "";
let docName = "";

beforeAll(async () => {
  await ensureAppBuilt();
  llm = await startOpenAiSse();
  llm.otherwise({ steps: streamOf("Noted.") });
  server = await startTestServer({ appDist: APP_DIST, env: { AI_BASE_URL: llm.baseUrl, AI_API_KEY: "sk-local", AI_MODEL: "test-model" } });
  browser = await launchBrowser();
  ann = await openPerson(browser, "ann");
  bob = await openPerson(browser, "bob");
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await llm?.close();
});

async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
}

/** Runs in the page: the ids of the messages in that page's copy of the document. */
function messageIdsIn(name: string): string[] {
  const debug = (window as unknown as { __junokit: Debug }).__junokit;
  return debug.model.readMessages(debug.doc(name)).map((m) => m.id);
}

function messageWith(page: Page, text: string) {
  return page.locator(".message", { hasText: text });
}

describe("two people in one conversation (APP-E2E-1)", () => {
  it("registers, lands in a personal workspace, and stays signed in across a reload", async () => {
    await ann.page.goto(server.url);
    await ann.page.getByRole("button", { name: "Sign in" }).waitFor();
    await screenshot(ann.page, "01-sign-in");
    await createAccount(ann.page, server.url, `ann${run}`, "Ann");
    await expect.poll(() => ann.page.locator(".switcher__select option:checked").textContent()).toBe("Ann's workspace");
    await ann.page.reload();
    await ann.page.locator(".switcher__select").waitFor();
    await waitLive(ann.page);
    await createAccount(bob.page, server.url, `bob${run}`, "Bob");
  });

  it("lets the owner add the other person as an editor", async () => {
    const { page } = ann;
    await page.getByRole("button", { name: /Members/ }).click();
    await page.getByLabel("Username", { exact: true }).fill(`bob${run}`);
    await page.getByLabel("Role").selectOption("editor");
    await page.getByRole("button", { name: "Add to workspace" }).click();
    await page.getByText(`Added @bob${run} as editor.`).waitFor();
    await page.locator(`.member[data-username="bob${run}"] .role`, { hasText: "editor" }).waitFor();
    await page.getByRole("button", { name: "Close members" }).click();
  });

  it("creates a conversation that appears live in both sidebars", async () => {
    const { page } = ann;
    await page.getByRole("button", { name: "+ New conversation" }).click();
    await page.getByLabel("Title", { exact: true }).fill("Launch plan");
    await page.getByLabel(/QA/).check();
    await page.getByRole("button", { name: "Create conversation" }).click();
    await page.waitForURL(/#\/w\/[\w-]+\/c\/[\w-]+$/);
    conversationUrl = page.url();
    docName = (await page.locator(".conversation").getAttribute("data-doc")) ?? "";
    expect(docName).toMatch(/^ws\/[\w-]+\/conv\/[\w-]+$/);
    await page.locator(".conv", { hasText: "Launch plan" }).waitFor();
    await expect.poll(() => page.locator(".persona-select").inputValue()).toBe("qa");
    // This conversation is about people; the AI peer (if the server runs one) stays out.
    await page.getByLabel("When the AI answers").selectOption("off");

    // Bob follows the link: the app learns of his new membership and opens it.
    await bob.page.goto(conversationUrl);
    await bob.page.locator('.conversation[data-synced="true"]').waitFor();
    await bob.page.locator(".conv", { hasText: "Launch plan" }).waitFor();
  });

  it("shows each other's presence, typing and messages as they happen", async () => {
    await ann.page.locator('.conversation .faces__face[data-peer="Bob"]').waitFor();
    await bob.page.locator('.conversation .faces__face[data-peer="Ann"]').waitFor();

    const box = ann.page.getByRole("textbox", { name: "Message" });
    await box.pressSequentially("Hello Bob, plan", { delay: 5 });
    await bob.page.getByTestId("typing").getByText("Ann is typing…").waitFor();
    await box.press("Shift+Enter");
    await box.pressSequentially("on two lines");
    expect(await box.inputValue()).toBe("Hello Bob, plan\non two lines");
    await box.press("Enter");
    await messageWith(bob.page, "Hello Bob, plan").locator("br").waitFor({ state: "attached" });
    await messageWith(bob.page, "on two lines").waitFor();
    // Sending clears the typing line at once.
    await expect.poll(() => bob.page.getByTestId("typing").textContent()).toBe("");

    await send(bob.page, "Hi Ann! **Ready** to go:\n\n```ts\nconst ok = true;\n```");
    await messageWith(ann.page, "Ready to go").waitFor();
    await ann.page.locator(".message strong", { hasText: "Ready" }).waitFor();
    await ann.page.locator(".message pre code .hljs-keyword", { hasText: "const" }).waitFor();
    // Consecutive messages of one author share one group.
    await send(bob.page, "Second line from Bob");
    await messageWith(ann.page, "Second line from Bob").waitFor();
    const bobGroup = ann.page.locator(".group", { hasText: "Second line from Bob" });
    expect(await bobGroup.locator(".message").count()).toBe(2);
    await screenshot(ann.page, "02-conversation-two-people");
  });

  it("renames the conversation from the header and both sidebars follow", async () => {
    const title = ann.page.getByLabel(/Conversation title/);
    await title.fill("Launch plan v2");
    await title.press("Enter");
    await bob.page.locator(".conv__title", { hasText: "Launch plan v2" }).waitFor();
    await expect.poll(() => bob.page.getByLabel(/Conversation title/).inputValue()).toBe("Launch plan v2");
  });
});

describe("unread dots and offline work (APP-E2E-5)", () => {
  it("marks a conversation with news as unread until it is opened", async () => {
    await ann.page.getByRole("button", { name: "+ New conversation" }).click();
    await ann.page.getByLabel("Title", { exact: true }).fill("Retro");
    await ann.page.getByRole("button", { name: "Create conversation" }).click();
    await ann.page.locator('.conversation[data-synced="true"]', { hasText: "Start the conversation" }).waitFor();
    await send(ann.page, "retro note");
    const retro = bob.page.locator(".conv", { hasText: "Retro" });
    await bob.page.locator(".conv.conv--unread", { hasText: "Retro" }).waitFor();
    expect(await bob.page.locator(".conv.conv--unread", { hasText: "Launch plan" }).count()).toBe(0);
    await retro.click();
    await messageWith(bob.page, "retro note").waitFor();
    await expect.poll(() => retro.getAttribute("class")).not.toContain("conv--unread");
    for (const person of [ann, bob]) {
      person.sockets.splice(0);
      await person.page.goto(conversationUrl);
      await person.page.locator('.conversation[data-synced="true"]').waitFor();
    }
  });

  it("says when it is offline, keeps what was written, and delivers it on reconnect", async () => {
    await ann.context.setOffline(true);
    await ann.page.locator('[data-connection="offline"]').waitFor();
    await ann.page.getByText(/This device is offline/).waitFor();
    await send(ann.page, "written while offline");
    await messageWith(ann.page, "written while offline").waitFor();
    await ann.context.setOffline(false);
    await ann.page.locator('[data-connection="live"]').waitFor();
    await messageWith(bob.page, "written while offline").waitFor();
  });
});

describe("the AI peer's replies stream in (APP-E2E-6, APP-CONV-2)", () => {
  it("shows a streaming reply under the persona name with a caret and Stop, for everyone", async () => {
    await ann.page.locator(".conv", { hasText: "Retro" }).click();
    await ann.page.locator('.conversation[data-synced="true"]').waitFor();
    const retroUrl = ann.page.url();
    // Index, the launch plan (still open for a moment) and the retro share one socket (DESIGN §6).
    const openDocs = await ann.page.evaluate(() => (window as unknown as { __junokit: Debug }).__junokit.docNames());
    expect(openDocs.length).toBeGreaterThanOrEqual(3);
    expect(ann.sockets).toEqual([server.wsUrl.replace("127.0.0.1", new URL(server.url).hostname)]);
    await bob.page.goto(retroUrl);
    await bob.page.locator('.conversation[data-synced="true"]').waitFor();
    // Bob saw the last message of the launch plan before leaving it: no unread dot there,
    // also once the index has caught up with that message (APP-WS-1).
    const launch = bob.page.locator(".conv", { hasText: "Launch plan v2" });
    await launch.getByText(/written while offline/).waitFor();
    expect(await launch.getAttribute("class")).not.toContain("conv--unread");

    llm.when("gated-stream", { steps: [{ content: "Streaming" }, { content: " answer" }, { gate: "first" }, { content: " finished." }, { finish: "stop" }, { done: true }] });
    await send(ann.page, "Dev, please answer: gated-stream");
    for (const person of [ann, bob]) {
      const streaming = person.page.locator('.group--ai .message[data-status="streaming"]', { hasText: "Streaming answer" });
      await streaming.waitFor();
      expect(await person.page.locator(".group--ai .group__name").last().textContent()).toBe("Dev");
      await streaming.getByRole("button", { name: "Stop" }).waitFor();
    }
    await screenshot(bob.page, "06-ai-streaming");
    llm.release("first");
    await bob.page.locator('.group--ai .message[data-status="done"]', { hasText: "Streaming answer finished." }).waitFor();

    llm.when("never-ending", { steps: [{ content: "Partial" }, { gate: "never" }] });
    await send(bob.page, "And this one: never-ending");
    const partial = ann.page.locator('.group--ai .message[data-status="streaming"]', { hasText: "Partial" });
    await partial.getByRole("button", { name: "Stop" }).click();
    await bob.page.locator('.group--ai .message[data-status="stopped"]', { hasText: "Partial" }).getByText("Stopped before the end.").waitFor();
    llm.release("never");

    for (const person of [ann, bob]) {
      await person.page.goto(conversationUrl);
      await person.page.locator('.conversation[data-synced="true"]').waitFor();
    }
  });
});

describe("malicious messages render inert (APP-E2E-2)", () => {
  it("fires no dialog, runs no script, keeps no javascript: link and loads no remote image", async () => {
    const imageUrl = `${server.url}/remote-image-${run}.png`;
    const attack = [
      'Look <img src=x onerror="alert(1);window.__pwned=1">',
      "<script>alert(2);window.__pwned=2</script>",
      "[free money](javascript:alert(3)) and [ok](https://example.com)",
      `![tracker](${imageUrl})`,
      "<a href=\"javascript:alert(4)\">raw link</a> <iframe src=\"javascript:alert(5)\"></iframe>",
    ].join("\n\n");
    await send(ann.page, attack);
    const rendered = messageWith(bob.page, "free money");
    await rendered.waitFor();
    const facts = await rendered.evaluate((el) => ({
      imgs: el.querySelectorAll("img").length,
      scripts: el.querySelectorAll("script, iframe").length,
      handlers: [...el.querySelectorAll("*")].flatMap((n) => [...n.attributes].filter((a) => a.name.startsWith("on"))).length,
      jsLinks: [...el.querySelectorAll("a")].filter((a) => /^\s*javascript:/i.test(a.getAttribute("href") ?? "")).length,
      text: el.textContent ?? "",
    }));
    expect(facts).toMatchObject({ imgs: 0, scripts: 0, handlers: 0, jsLinks: 0 });
    expect(facts.text).toContain("<script>alert(2)");
    for (const person of [ann, bob]) {
      expect(person.dialogs).toEqual([]);
      expect(await person.page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(person.requests.filter((u) => u === imageUrl)).toEqual([]);
    }
    // The image loads only when asked, which also proves the check above could see it.
    const requested = bob.page.waitForRequest(imageUrl);
    await rendered.getByRole("button", { name: /Load image/ }).click();
    await requested;
    expect(bob.dialogs).toEqual([]);
  });
});

describe("viewers read but cannot post (APP-E2E-3, APP-VIEW-1)", () => {
  it("shows a viewer no composer, and the server drops what a viewer forces into the document", async () => {
    const carol = await openPerson(browser, "carol");
    try {
      await createAccount(carol.page, server.url, `carol${run}`, "Carol");
      await ann.page.getByRole("button", { name: /Members/ }).click();
      await ann.page.getByLabel("Username", { exact: true }).fill(`carol${run}`);
      await ann.page.getByLabel("Role").selectOption("viewer");
      await ann.page.getByRole("button", { name: "Add to workspace" }).click();
      await ann.page.getByText(`Added @carol${run} as viewer.`).waitFor();
      await ann.page.getByRole("button", { name: "Close members" }).click();

      await carol.page.goto(conversationUrl);
      await carol.page.locator('.conversation[data-synced="true"]').waitFor();
      await messageWith(carol.page, "Hello Bob, plan").waitFor();
      await carol.page.getByRole("note").getByText(/you are a viewer/).waitFor();
      expect(await carol.page.getByRole("textbox", { name: "Message" }).count()).toBe(0);
      expect(await carol.page.getByRole("button", { name: "+ New conversation" }).count()).toBe(0);

      // A tampered client writes anyway, then changes its presence; the server handles one
      // connection's messages in order, so once Ann sees the presence change she would
      // already have the forged message if the server had accepted it.
      await carol.page.evaluate((name) => {
        const debug = (window as unknown as { __junokit: Debug }).__junokit;
        const doc = debug.doc(name);
        debug.model.appendMessage(doc, { id: "forged", role: "user", authorId: "someone", authorName: "Forger", createdAt: Date.now(), text: "forged" });
        debug.provider(name).awareness.setLocalStateField("probe", "after-forge");
      }, docName);
      expect(await carol.page.evaluate(messageIdsIn, docName)).toContain("forged");
      await ann.page.waitForFunction((name) => {
        const states = (window as unknown as { __junokit: Debug }).__junokit.provider(name).awareness.getStates();
        return [...states.values()].some((s: Record<string, unknown>) => s.probe === "after-forge");
      }, docName);
      const annIds = await ann.page.evaluate(messageIdsIn, docName);
      expect(annIds).not.toContain("forged");
      expect(annIds.length).toBeGreaterThan(3);

      const refused = await carol.page.evaluate(async () => {
        const session = JSON.parse(localStorage.getItem("junokit.session") ?? "{}");
        const wid = location.hash.split("/")[2];
        const res = await fetch(`/api/workspaces/${wid}/conversations`, {
          method: "POST",
          headers: { Authorization: `Bearer ${session.token}`, "Content-Type": "application/json" },
          body: JSON.stringify({ title: "sneaky" }),
        });
        return res.status;
      });
      expect(refused).toBe(403);
      await screenshot(carol.page, "05-viewer-read-only");
      expect(carol.errors.filter((e) => !e.includes("403"))).toEqual([]);
    } finally {
      await carol.context.close();
    }
  });
});

describe("looks right in dark mode and on a phone (APP-E2E-4)", () => {
  it("renders the conversation in dark mode", async () => {
    await ann.page.emulateMedia({ colorScheme: "dark" });
    await ann.page.locator(".conversation").waitFor();
    const background = await ann.page.evaluate(() => getComputedStyle(document.querySelector(".main")!).backgroundColor);
    expect(background).toBe("rgb(29, 30, 36)");
    await screenshot(ann.page, "03-dark-mode");
    await ann.page.emulateMedia({ colorScheme: "light" });
  });

  it("turns the sidebar into a drawer at phone width", async () => {
    const { page } = bob;
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.locator(".sidebar").isVisible()).toBe(false);
    await screenshot(page, "04-phone-conversation");
    await page.getByRole("button", { name: "Open sidebar" }).click();
    await page.locator(".sidebar .conv", { hasText: "Launch plan v2" }).waitFor();
    // The drawer slides in; take the picture once it has arrived.
    await expect.poll(async () => (await page.locator(".sidebar").boundingBox())?.x).toBe(0);
    await screenshot(page, "04-phone-drawer");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator(".sidebar").isVisible()).toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("creates a second workspace and switches between them", async () => {
    const { page } = ann;
    await page.locator(".switcher__select").selectOption({ label: "+ New workspace…" });
    await page.getByLabel("Name", { exact: true }).fill("Side project");
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByRole("heading", { name: "Welcome to JunoKit" }).waitFor();
    await expect.poll(() => page.locator(".switcher__select option:checked").textContent()).toBe("Side project");
    expect(await page.locator(".conv").count()).toBe(0);
    await page.locator(".switcher__select").selectOption({ label: "Ann's workspace" });
    await page.locator(".conv", { hasText: "Launch plan v2" }).waitFor();
  });

  it("signs out back to the sign-in screen and in again, with no console errors on the way", async () => {
    await bob.page.getByRole("button", { name: "Sign out" }).click();
    await bob.page.getByRole("button", { name: "Sign in" }).waitFor();
    await signIn(bob.page, server.url, `bob${run}`);
    await bob.page.goto(conversationUrl);
    await messageWith(bob.page, "Second line from Bob").waitFor();
    expect(ann.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });
});
