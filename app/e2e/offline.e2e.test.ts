// End-to-end: offline-first and always live (SPEC OFF-*), in Debian's Chromium against the
// real server serving the built app. The network is cut with `context.setOffline`; the server
// is restarted on the same port and data dir, and reset behind the browser's back.
import { appendMessage, notesJsonText, readMessages, readNotesJson, writeMeta, writeNotesJson, type NotesNode } from "@junokit/doc-model";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiSse, streamOf } from "../../collab-server/test/support/openai-sse";
import { addMember, api, connect, register, startTestServer, type Session, type TestServer } from "../../collab-server/test/support/server";
import { APP_DIST, ensureAppBuilt, launchBrowser, openPerson, screenshot, type Debug, type Person } from "./support";

const run = Date.now().toString(36).slice(-5);

let server: TestServer;
let llm: Awaited<ReturnType<typeof startOpenAiSse>>;
let browser: Browser;
let ann: Person;
let bob: Person;
let annSession: Session;
let bobSession: Session;
let workspaceId = "";

async function restartServer(change?: (s: TestServer) => Promise<void>): Promise<void> {
  const { dataDir, port } = server;
  await server.close({ keepData: true });
  server = await startTestServer({ appDist: APP_DIST, dataDir, port, env: llmEnv() });
  await change?.(server);
}

const llmEnv = () => ({ AI_BASE_URL: llm.baseUrl, AI_API_KEY: "sk-local", AI_MODEL: "test-model" });

beforeAll(async () => {
  await ensureAppBuilt();
  llm = await startOpenAiSse();
  llm.otherwise({ steps: streamOf("Noted.") });
  server = await startTestServer({ appDist: APP_DIST, env: llmEnv() });
  annSession = await register(server.url, `ann${run}`);
  const ws = await api(server.url, "/api/workspaces", { token: annSession.token, body: { name: "Offline team" } });
  workspaceId = ws.body.id;
  bobSession = await addMember(server.url, annSession, workspaceId, "editor");
  browser = await launchBrowser();
  ann = await openPerson(browser, "ann");
  bob = await openPerson(browser, "bob");
  await signInAs(ann, annSession);
  await signInAs(bob, bobSession);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await llm?.close();
});

/** A conversation made through the API, optionally with messages already in it. */
async function conversation(title: string, options: { ai?: "auto" | "mention" | "off"; messages?: string[] } = {}) {
  const res = await api(server.url, `/api/workspaces/${workspaceId}/conversations`, { token: annSession.token, body: { title, ai: options.ai ?? "off" } });
  const { id, docName } = res.body as { id: string; docName: string };
  if (options.messages?.length) {
    await server.server.collab.writer.change(docName, (doc) => {
      options.messages!.forEach((text, i) =>
        appendMessage(doc, { id: `${id}-seed${i}`, role: "user", authorId: annSession.user.id, authorName: annSession.user.displayName, createdAt: Date.now() - 60_000 + i, text }),
      );
    });
  }
  return { id, docName, url: `${server.url}/#/w/${workspaceId}/c/${id}` };
}

/** Puts a session into the page's storage, the way signing in leaves it. */
async function signInAs(person: Person, session: Session, page: Page = person.page): Promise<void> {
  await page.goto(server.url);
  await page.evaluate((s) => localStorage.setItem("junokit.session", JSON.stringify(s)), session);
  await page.reload();
  await page.locator(".switcher__select").waitFor();
}

async function openConversation(page: Page, url: string, timeout?: number): Promise<void> {
  await page.goto(url);
  await page.locator('.conversation[data-synced="true"]').waitFor({ timeout });
}

async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
}

const messageWith = (page: Page, text: string) => page.locator(".message", { hasText: text });

function idsIn(page: Page, docName: string): Promise<string[]> {
  return page.evaluate((name) => {
    const debug = (window as unknown as { __junokit: Debug }).__junokit;
    return debug.model.readMessages(debug.doc(name)).map((m) => m.id);
  }, docName);
}

/** The server's own copy, read through a fresh provider. */
async function serverMessages(docName: string): Promise<string[]> {
  const peer = connect(server.wsUrl, docName, annSession.token);
  try {
    await peer.synced;
    return readMessages(peer.doc).map((m) => m.text);
  } finally {
    peer.destroy();
  }
}

const paragraph = (text: string): NotesNode => ({ type: "paragraph", content: [{ type: "text", text }] });

function notesIn(page: Page, docName: string): Promise<string> {
  return page.evaluate((name) => {
    const debug = (window as unknown as { __junokit: Debug }).__junokit;
    return debug.model.notesJsonText(debug.model.readNotesJson(debug.doc(name)));
  }, docName);
}

/** The server's notes as plain text, read through a fresh provider. */
async function serverNotes(docName: string): Promise<string> {
  const peer = connect(server.wsUrl, docName, annSession.token);
  try {
    await peer.synced;
    return notesJsonText(readNotesJson(peer.doc));
  } finally {
    peer.destroy();
  }
}

async function serviceWorkerReady(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
}

const unique = (list: string[]) => new Set(list).size === list.length;

/** What a page's connection and documents say: printed when a wait fails, to tell why. */
async function explain(page: Page, error: unknown): Promise<never> {
  const state = await page
    .evaluate(() => {
      const debug = (window as unknown as { __junokit?: Debug }).__junokit;
      const badge = document.querySelector("[data-connection]");
      return {
        badge: badge ? `${badge.getAttribute("data-connection")} waiting=${badge.getAttribute("data-waiting")}` : null,
        main: document.querySelector(".main")?.textContent?.slice(0, 200),
        docs: debug?.docNames().map((n) => ({ n, ...debug.state(n), unsynced: debug.provider(n).unsyncedChanges })),
      };
    })
    .catch((e: unknown) => String(e));
  console.log("page state:", JSON.stringify(state));
  throw error;
}

describe("offline writes and reloads (OFF-E2E-1, OFF-SHELL-1, OFF-ACK-1, OFF-AUTH-1)", () => {
  let conv: Awaited<ReturnType<typeof conversation>>;

  it("opens a conversation and installs the offline app shell", async () => {
    conv = await conversation("Field notes", { messages: ["cached before going offline"] });
    await openConversation(ann.page, conv.url);
    await messageWith(ann.page, "cached before going offline").waitFor();
    await serviceWorkerReady(ann.page);
    await openConversation(bob.page, conv.url);
  });

  it("shows a message written offline as waiting, with the count in the status", async () => {
    await ann.context.setOffline(true);
    await ann.page.locator('[data-connection="offline"]').first().waitFor();
    await send(ann.page, "written while offline");
    const written = messageWith(ann.page, "written while offline");
    await written.locator(".message__waiting").waitFor();
    expect(await written.getAttribute("data-unsynced")).toBe("true");
    await ann.page.locator('[data-connection="offline"][data-waiting="1"]').first().waitFor();
    await ann.page.getByTestId("connection-notice").getByText("1 change waiting to sync").waitFor();
    await screenshot(ann.page, "07-offline-waiting");
  });

  it("reloads offline into the signed-in app with the cached messages, still waiting", async () => {
    await ann.page.reload();
    await ann.page.locator('[data-connection="offline"]').first().waitFor();
    await messageWith(ann.page, "cached before going offline").waitFor().catch((e: unknown) => explain(ann.page, e));
    await messageWith(ann.page, "written while offline").locator(".message__waiting").waitFor();
    await ann.page.getByText("1 change waiting to sync").waitFor();
    // Bob has not seen it: it only exists on Ann's device.
    expect(await messageWith(bob.page, "written while offline").count()).toBe(0);
  });

  it("delivers it once when the network returns, and the marks go away", async () => {
    await ann.context.setOffline(false);
    await ann.page.locator('[data-connection="live"][data-waiting="0"]').first().waitFor();
    await messageWith(bob.page, "written while offline").waitFor();
    await expect.poll(() => messageWith(ann.page, "written while offline").getAttribute("data-unsynced")).toBeNull();
    expect(await messageWith(bob.page, "written while offline").count()).toBe(1);
    const ids = await idsIn(bob.page, conv.docName);
    expect(unique(ids)).toBe(true);
    expect(await serverMessages(conv.docName)).toEqual(["cached before going offline", "written while offline"]);
  });
});

describe("tabs of one browser (OFF-E2E-2, OFF-TABS-1)", () => {
  it("stay in step while offline, and everything arrives once when back online", async () => {
    const conv = await conversation("Two tabs");
    await openConversation(ann.page, conv.url);
    const second = await ann.context.newPage();
    const errors: string[] = [];
    second.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    second.on("pageerror", (e) => errors.push(e.message));
    try {
      await openConversation(second, conv.url);
      await openConversation(bob.page, conv.url);
      await ann.context.setOffline(true);
      await second.locator('[data-connection="offline"]').first().waitFor();
      await send(ann.page, "from the first tab, offline");
      await messageWith(second, "from the first tab, offline").waitFor();
      await send(second, "from the second tab, offline");
      await messageWith(ann.page, "from the second tab, offline").waitFor();
      // Both tabs count both messages as waiting: they are on this device only.
      await second.locator('[data-connection="offline"][data-waiting="2"]').first().waitFor();

      await ann.context.setOffline(false);
      await messageWith(bob.page, "from the first tab, offline").waitFor();
      await messageWith(bob.page, "from the second tab, offline").waitFor();
      await second.locator('[data-connection="live"][data-waiting="0"]').first().waitFor().catch((e: unknown) => explain(second, e));
      for (const page of [ann.page, second, bob.page]) {
        expect(await messageWith(page, "offline").count()).toBe(2);
        expect(unique(await idsIn(page, conv.docName))).toBe(true);
      }
      expect(await serverMessages(conv.docName)).toHaveLength(2);
      expect(errors).toEqual([]);
    } finally {
      await second.close();
    }
  });
});

describe("the AI and offline prompts (OFF-E2E-3)", () => {
  it("answers a prompt written offline once the connection returns", async () => {
    const conv = await conversation("Ask the AI", { ai: "auto" });
    llm.when("offline-question", { steps: streamOf("Here is the answer to your offline question.") });
    await openConversation(ann.page, conv.url);
    await ann.context.setOffline(true);
    await ann.page.locator('[data-connection="offline"]').first().waitFor();
    await send(ann.page, "Please answer: offline-question");
    await messageWith(ann.page, "offline-question").locator(".message__waiting").waitFor();
    const asked = llm.requests.length;
    await ann.context.setOffline(false);
    await ann.page.locator('.group--ai .message[data-status="done"]', { hasText: "Here is the answer to your offline question." }).waitFor();
    expect(llm.requests.length - asked).toBe(1);
  });

  it("OFF-E2E-10 AI-17 AI-18 APP-AI-2 the reply to an offline prompt says the conversation moved on meanwhile, to both", async () => {
    const conv = await conversation("Moved on", { ai: "mention", messages: ["We ship on Friday."] });
    llm.when("moved-on-question", { steps: streamOf("Bob moved it: Monday, not Friday.") });
    await openConversation(ann.page, conv.url);
    await openConversation(bob.page, conv.url);
    await ann.context.setOffline(true);
    await ann.page.locator('[data-connection="offline"]').first().waitFor();
    await send(ann.page, "@ai moved-on-question: is it still Friday?");
    await messageWith(ann.page, "moved-on-question").locator(".message__waiting").waitFor();
    // Meanwhile Bob, online, writes twice (no @ai: only Ann's message asks the AI).
    await send(bob.page, "Change of plan: Monday.");
    await send(bob.page, "Friday is out, the room is taken.");
    await bob.page.locator('[data-connection="live"][data-waiting="0"]').first().waitFor();
    expect(await messageWith(bob.page, "moved-on-question").count()).toBe(0);
    const asked = llm.requests.length;

    await ann.context.setOffline(false);
    const name = annSession.user.displayName;
    for (const page of [ann.page, bob.page]) {
      const reply = page.locator('.group--ai .message[data-status="done"]', { hasText: "Bob moved it: Monday, not Friday." });
      await reply.waitFor().catch((e: unknown) => explain(page, e));
      const note = reply.locator('[data-moved-on="2"]');
      await note.waitFor();
      expect(await note.textContent()).toMatch(new RegExp(`^Answers ${name}'s message from .+ · 2 messages came in meanwhile`));
    }
    expect(llm.requests.length - asked).toBe(1);
    const prompt = llm.requestsFor("moved-on-question")[0]!.body.messages!;
    expect(prompt.at(-1)!.content).toContain(`written by "${name}" at`);
    expect(prompt.at(-1)!.content).toContain("before the 2 messages just above it");

    // "Show it" brings Ann's message into view and marks it.
    await bob.page.locator("[data-moved-on] button", { hasText: "Show it" }).click();
    await bob.page.locator(".message.message--found", { hasText: "moved-on-question" }).waitFor();
    await screenshot(bob.page, "10-moved-on");
  });
});

describe("server restarts and resets (OFF-E2E-4, OFF-E2E-5, OFF-RESET-1, OFF-CONN-1)", () => {
  it("duplicates nothing when the server restarts while a message waits", async () => {
    const conv = await conversation("Restart", { messages: ["one", "two"] });
    await openConversation(ann.page, conv.url);
    await openConversation(bob.page, conv.url);
    await send(ann.page, "three, before the restart");
    await messageWith(bob.page, "three, before the restart").waitFor();

    const { dataDir, port } = server;
    await server.close({ keepData: true });
    await ann.page.locator('[data-connection="reconnecting"]').first().waitFor();
    await send(ann.page, "four, while the server is down");
    await ann.page.getByText("1 change waiting to sync").waitFor();
    server = await startTestServer({ appDist: APP_DIST, dataDir, port, env: llmEnv() });
    // Retry at once instead of waiting for the next backoff step.
    await ann.page.getByRole("button", { name: "Retry now" }).click();
    await ann.page.locator('[data-connection="live"][data-waiting="0"]').first().waitFor();
    await messageWith(bob.page, "four, while the server is down").waitFor();

    const expected = ["one", "two", "three, before the restart", "four, while the server is down"];
    expect(await serverMessages(conv.docName)).toEqual(expected);
    for (const page of [ann.page, bob.page]) {
      const ids = await idsIn(page, conv.docName);
      expect(ids).toHaveLength(4);
      expect(unique(ids)).toBe(true);
      expect(await page.locator(".conversation .message").count()).toBe(4);
    }
  });

  it("replaces a stale copy when the server's document was reset, carrying over what was never sent", async () => {
    const conv = await conversation("Reset me", { messages: ["old one", "old two"] });
    await openConversation(ann.page, conv.url);
    await messageWith(ann.page, "old two").waitFor();
    // Acknowledgements are recorded on the device (see OFF-ACK-1); now the network goes.
    await ann.context.setOffline(true);
    await ann.page.locator('[data-connection="offline"]').first().waitFor();
    await send(ann.page, "unsent before the reset");
    await messageWith(ann.page, "unsent before the reset").locator(".message__waiting").waitFor();

    await restartServer(async (s) => {
      await s.server.store.deleteDocument(conv.docName);
      await s.server.collab.writer.change(conv.docName, (doc) => {
        writeMeta(doc, { title: "Reset me", persona: "dev", ai: "off", createdAt: Date.now(), createdBy: annSession.user.id });
        appendMessage(doc, { id: "after-reset", role: "user", authorId: bobSession.user.id, authorName: "BOB", createdAt: Date.now(), text: "new after the reset" });
      });
    });
    await ann.context.setOffline(false);
    const notice = ann.page.getByTestId("document-notice");
    await notice.getByText(/1 message you wrote here was not on the server yet/).waitFor().catch((e: unknown) => explain(ann.page, e));
    await messageWith(ann.page, "new after the reset").waitFor();
    await messageWith(ann.page, "unsent before the reset").waitFor();
    await ann.page.locator('[data-connection="live"][data-waiting="0"]').first().waitFor().catch((e: unknown) => explain(ann.page, e));
    expect(await messageWith(ann.page, "old one").count()).toBe(0);
    expect(await serverMessages(conv.docName)).toEqual(["new after the reset", "unsent before the reset"]);

    // And after a reload the device holds only the new copy.
    await ann.page.reload();
    await ann.page.locator('.conversation[data-synced="true"]').waitFor();
    await messageWith(ann.page, "unsent before the reset").waitFor();
    expect(await ann.page.locator(".conversation .message").count()).toBe(2);
    await screenshot(ann.page, "08-after-reset");
  });

  it("OFF-E2E-11 OFF-RESET-4 carries notes edited offline over a reset, at the end of the server's notes", async () => {
    const conv = await conversation("Reset notes", { messages: ["before"] });
    await server.server.collab.writer.change(conv.docName, (doc) => writeNotesJson(doc, { type: "doc", content: [paragraph("Agenda")] }));
    await openConversation(ann.page, conv.url);
    await ann.page.getByRole("button", { name: "Notes" }).click();
    await ann.page.locator(".notes__doc", { hasText: "Agenda" }).waitFor();
    await ann.page.locator('[data-connection="live"][data-waiting="0"]').first().waitFor();
    await ann.context.setOffline(true);
    await ann.page.locator('[data-connection="offline"]').first().waitFor();
    await ann.page.locator(".notes__doc").click();
    await ann.page.keyboard.press("Control+End");
    await ann.page.keyboard.type("\nWritten offline in the notes", { delay: 5 });
    await expect.poll(() => notesIn(ann.page, conv.docName)).toBe("Agenda\nWritten offline in the notes");

    await restartServer(async (s) => {
      await s.server.store.deleteDocument(conv.docName);
      await s.server.collab.writer.change(conv.docName, (doc) => {
        writeMeta(doc, { title: "Reset notes", persona: "dev", ai: "off", createdAt: Date.now(), createdBy: annSession.user.id });
        writeNotesJson(doc, { type: "doc", content: [paragraph("Notes after the reset")] });
      });
    });
    await ann.context.setOffline(false);
    const notice = ann.page.getByTestId("document-notice");
    await notice.getByText(/1 block of the notes you edited here was not on the server yet/).waitFor().catch((e: unknown) => explain(ann.page, e));
    await ann.page.locator('[data-connection="live"][data-waiting="0"]').first().waitFor().catch((e: unknown) => explain(ann.page, e));
    const expected = "Notes after the reset\nCarried over after the reset: written on one device, not yet on the server when it was reset.\nWritten offline in the notes";
    expect(await serverNotes(conv.docName)).toBe(expected);
    await expect.poll(() => notesIn(ann.page, conv.docName)).toBe(expected);
    await ann.page.locator(".notes__doc", { hasText: "Written offline in the notes" }).waitFor();
  });
});

describe("a conversation of 10,000 messages (OFF-E2E-6, OFF-LARGE-1)", () => {
  it("renders a bounded window, pages backwards as the reader scrolls up, and jumps back", async () => {
    const conv = await conversation("Archive");
    await server.server.collab.writer.change(conv.docName, (doc) => {
      for (let i = 0; i < 10_000; i++) {
        appendMessage(doc, { id: `a${i}`, role: "user", authorId: annSession.user.id, authorName: "ANN", createdAt: Date.now() - (10_000 - i) * 1000, text: `Archived line ${i}` });
      }
    });
    // The first sync of 10,000 messages takes a while on a busy 2-core machine (speed is the bench's job).
    await openConversation(ann.page, conv.url, 60_000);
    await messageWith(ann.page, "Archived line 9999").waitFor();
    const rendered = () => ann.page.locator(".conversation .message").count();
    // A first page (grown by one more if short lines do not fill the screen), never the 10,000.
    expect(await rendered()).toBeLessThanOrEqual(100);
    const list = ann.page.locator(".messages");
    const windowOf = async () => (await list.getAttribute("data-window")) ?? "";
    for (let i = 0; i < 8; i++) {
      const before = await windowOf();
      await list.evaluate((el) => (el.scrollTop = 0));
      await expect.poll(windowOf).not.toBe(before);
    }
    expect(await rendered()).toBeLessThanOrEqual(300);
    // Far enough up, the newest messages are no longer rendered.
    expect(await windowOf()).not.toMatch(/-10000\/10000$/);
    await ann.page.getByRole("button", { name: /Jump to the latest/ }).click();
    await messageWith(ann.page, "Archived line 9999").waitFor();
    expect(await rendered()).toBeLessThanOrEqual(100);
  }, 120_000);
});

describe("storage trouble (OFF-E2E-7, OFF-CACHE-3)", () => {
  it("keeps working online with a warning when the disk is full, with no unhandled rejection", async () => {
    const carolSession = await addMember(server.url, annSession, workspaceId, "editor");
    const carol = await openPerson(browser, "carol");
    try {
      const conv = await conversation("Full disk", { messages: ["readable anyway"] });
      await carol.page.goto(server.url);
      const cdp = await carol.context.newCDPSession(carol.page);
      await cdp.send("Storage.overrideQuotaForOrigin", { origin: new URL(server.url).origin, quotaSize: 1 });
      await carol.page.evaluate((s) => localStorage.setItem("junokit.session", JSON.stringify(s)), carolSession);
      await carol.page.reload();
      await openConversation(carol.page, conv.url);
      await messageWith(carol.page, "readable anyway").waitFor();
      await carol.page.locator("[data-storage-problem]").waitFor();
      await openConversation(bob.page, conv.url);
      await send(carol.page, "sent with a full disk");
      await messageWith(bob.page, "sent with a full disk").waitFor();
      await carol.page.locator('[data-connection="live"][data-waiting="0"]').first().waitFor();
      await screenshot(carol.page, "09-storage-full");
      expect(carol.errors).toEqual([]);
    } finally {
      await carol.context.close();
    }
  });
});

describe("signing out (OFF-E2E-8, OFF-AUTH-2)", () => {
  it("deletes the person's cached documents and keys, in every tab", async () => {
    const second = await ann.context.newPage();
    try {
      await second.goto(`${server.url}/#/w/${workspaceId}`);
      await second.locator(".switcher__select").waitFor();
      const mine = () =>
        ann.page.evaluate(async (uid) => {
          const names = (await indexedDB.databases()).map((d) => d.name ?? "").filter((n) => n.startsWith(`junokit/${uid}/`));
          const keys = Object.keys(localStorage).filter((k) => k.includes(uid) || k === "junokit.session");
          return { names, keys };
        }, annSession.user.id);
      const before = await mine();
      expect(before.names.length).toBeGreaterThan(3);
      expect(before.keys.length).toBeGreaterThan(0);

      await ann.page.getByRole("button", { name: "Sign out" }).click();
      await ann.page.getByRole("button", { name: "Sign in" }).waitFor();
      await second.getByRole("button", { name: "Sign in" }).waitFor();
      await second.getByText("You signed out in another tab.").waitFor();
      await expect.poll(async () => (await mine()).names).toEqual([]);
      expect((await mine()).keys).toEqual([]);
      // The browser itself logs the sockets that failed while the server was down (restart test).
      expect(ann.errors.filter((e) => !/WebSocket connection to .* failed/.test(e))).toEqual([]);
    } finally {
      await second.close();
    }
  });
});

describe("a new version (OFF-E2E-9, OFF-SHELL-2)", () => {
  it("offers to reload into a newly deployed version, and does", async () => {
    const dist = await mkdtemp(join(tmpdir(), "junokit-dist-"));
    await cp(APP_DIST, dist, { recursive: true });
    const own = await startTestServer({ appDist: dist });
    const dana = await openPerson(browser, "dana");
    try {
      await dana.page.goto(own.url);
      await dana.page.getByRole("button", { name: "Sign in" }).waitFor();
      await serviceWorkerReady(dana.page);
      // A deployment: the service worker script changes.
      const sw = join(dist, "sw.js");
      await writeFile(sw, `${await readFile(sw, "utf8")}\n// deployed ${Date.now()}\n`);
      await dana.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
      await dana.page.getByTestId("update-prompt").waitFor();
      await dana.page.evaluate(() => ((window as { marker?: number }).marker = 1));
      await dana.page.getByTestId("update-prompt").getByRole("button", { name: "Reload" }).click();
      await expect.poll(() => dana.page.evaluate(() => (window as { marker?: number }).marker ?? null)).toBeNull();
      await dana.page.getByRole("button", { name: "Sign in" }).waitFor();
      expect(await dana.page.getByTestId("update-prompt").count()).toBe(0);
      expect(await dana.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => Boolean(r?.active && !r.waiting)))).toBe(true);
      expect(dana.errors).toEqual([]);
    } finally {
      await dana.context.close();
      await own.close();
      await rm(dist, { recursive: true, force: true });
    }
  });
});
