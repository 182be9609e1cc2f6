// End-to-end: export and import in the app (SPEC XFER-*, APP-XFER-*), which model answers and
// the AI's presence (APP-AI-1, APP-PRES-3), and the composer's @ completion and starters
// (APP-MENTION-1), in Debian's Chromium against the real server serving the built app.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appendMessage, writeMeta } from "@junokit/doc-model";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, api, register, startTestServer, type Session, type TestServer } from "../../collab-server/test/support/server";
import { APP_DIST, ensureAppBuilt, launchBrowser, openPerson, screenshot, signIn, startSlowLink, waitLive, type Debug, type Person } from "./support";

const run = Date.now().toString(36).slice(-5);
const TITLE = "Release notes";
/** The server's import limit in this run: above the 12 MB import below, under the 17 MB one. */
const IMPORT_LIMIT = 16 * 1024 * 1024;

let server: TestServer;
/** Large files are handed to the browser by path: sending megabytes over DevTools takes longer than a click may on a busy machine. */
let files = "";
let browser: Browser;
let ann: Person;
let bob: Person;
let annSession: Session;
let bobSession: Session;
let workspaceId = "";
let conversationId = "";

beforeAll(async () => {
  await ensureAppBuilt();
  // No AI endpoint: the AI peer still joins, unavailable, with its notice (AI-14).
  server = await startTestServer({ appDist: APP_DIST, env: { IMPORT_MAX_BYTES: String(IMPORT_LIMIT) } });
  annSession = await register(server.url, `ann${run}`);
  const ws = await api(server.url, "/api/workspaces", { token: annSession.token, body: { name: "Transfer team" } });
  workspaceId = ws.body.id;
  bobSession = await addMember(server.url, annSession, workspaceId, "viewer");
  const conv = await api(server.url, `/api/workspaces/${workspaceId}/conversations`, { token: annSession.token, body: { title: TITLE } });
  conversationId = conv.body.id;
  const now = Date.now();
  await server.server.collab.writer.change(conv.body.docName, (doc) => {
    writeMeta(doc, { ai: "off" });
    appendMessage(doc, { id: "m1", role: "user", authorId: annSession.user.id, authorName: "ANN", createdAt: now - 60_000, text: "What changed in **2.4**?" });
    appendMessage(doc, {
      id: "m2",
      role: "assistant",
      authorId: "ai",
      authorName: "Dev",
      createdAt: now - 59_000,
      text: "Faster sync and a new export menu.",
      status: "done",
      replyTo: "m1",
      model: "test-model-7b",
    });
  });
  files = await mkdtemp(join(tmpdir(), "junokit-transfer-"));
  browser = await launchBrowser();
  ann = await openPerson(browser, "ann");
  bob = await openPerson(browser, "bob");
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (files) await rm(files, { recursive: true, force: true });
});

async function fileOf(name: string, content: Buffer): Promise<string> {
  const path = join(files, name);
  await writeFile(path, content);
  return path;
}

/** Signs in on the workspace's page (or `hash`) and waits for a live connection. */
async function signInToWorkspace(person: Person, username: string, hash = `#/w/${workspaceId}`): Promise<void> {
  await signIn(person.page, `${server.url}/${hash}`, username);
  await waitLive(person.page);
}

function sidebarEntries(page: Page, title: string) {
  return page.locator("nav[aria-label='Conversations'] .conv", { hasText: title });
}

/** Runs in the page: the texts of the messages in that page's copy of a document. */
function messageTextsIn(name: string): string[] {
  const debug = (window as unknown as { __junokit: Debug }).__junokit;
  return debug.model.readMessages(debug.doc(name)).map((m) => m.text);
}

/** Opens the import dialog, hands it a file and presses Import. */
interface ProgressSample {
  done: number;
  phase: string;
  text: string;
}

/** Runs in the page: keeps every distinct state of the import progress bar in `window.importProgress`. */
function recordImportProgress(): void {
  const samples: ProgressSample[] = [];
  (window as unknown as { importProgress: ProgressSample[] }).importProgress = samples;
  const record = () => {
    const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Import progress"]');
    if (!bar) return;
    const sample = {
      done: bar.hasAttribute("value") ? bar.value / bar.max : -1,
      phase: bar.dataset.phase ?? "",
      text: bar.nextElementSibling?.textContent ?? "",
    };
    const last = samples[samples.length - 1];
    if (!last || last.done !== sample.done || last.text !== sample.text || last.phase !== sample.phase) samples.push(sample);
  };
  new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
}

async function startImport(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  await page.getByRole("button", { name: "Import…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import conversations" });
  await dialog.locator('input[type="file"]').setInputFiles(file);
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
}

describe("export and import in the app (XFER-E2E-1)", () => {
  it("shows the model under the AI's name and the AI as unavailable in its face", async () => {
    await signInToWorkspace(ann, annSession.user.username, `#/w/${workspaceId}/c/${conversationId}`);
    const { page } = ann;
    await page.locator(".message", { hasText: "Faster sync" }).waitFor();
    expect(await page.locator(".group--ai .group__name").first().textContent()).toBe("Dev");
    expect(await page.locator(".group--ai .group__model").first().textContent()).toBe("test-model-7b");
    const aiFace = page.locator('.conversation__header .faces__face[data-peer="Dev"]');
    await aiFace.waitFor();
    expect(await aiFace.getAttribute("title")).toMatch(/^Dev \(AI · unavailable: .*AI_BASE_URL/);
    expect(await aiFace.getAttribute("class")).toContain("faces__face--unavailable");
    await page.getByRole("status").filter({ hasText: "the AI, is not available" }).waitFor();
  });

  it("exports the conversation as JSON through the header menu", async () => {
    const { page } = ann;
    await page.getByRole("button", { name: "Export conversation" }).click();
    const menu = page.getByRole("menu", { name: "Export as" });
    expect(await menu.getByRole("menuitem").allTextContents()).toEqual(["Markdown.md", "JSON.json", "Yjs update.yjs"]);
    const [download] = await Promise.all([page.waitForEvent("download"), menu.getByRole("menuitem", { name: /JSON/ }).click()]);
    expect(download.suggestedFilename()).toBe(`${TITLE}.json`);
    const exported = JSON.parse(await readFile((await download.path())!, "utf8"));
    expect(exported.format).toBe("junokit.conversation");
    expect(exported.meta.title).toBe(TITLE);
    expect(exported.messages.map((m: { text: string; model?: string }) => [m.text, m.model ?? null])).toEqual([
      ["What changed in **2.4**?", null],
      ["Faster sync and a new export menu.", "test-model-7b"],
    ]);
    expect(await menu.count()).toBe(0);

    // …and imports that file back through the dialog: a new conversation appears in the sidebar.
    expect(await sidebarEntries(page, TITLE).count()).toBe(1);
    await startImport(page, (await download.path())!);
    const dialog = page.getByRole("dialog", { name: "Import conversations" });
    await dialog.getByRole("status").filter({ hasText: "Imported 1 conversation" }).waitFor();
    const link = dialog.getByRole("link", { name: TITLE });
    const importedId = await link.getAttribute("data-conversation");
    expect(importedId).toBeTruthy();
    expect(importedId).not.toBe(conversationId);
    await expect.poll(() => sidebarEntries(page, TITLE).count()).toBe(2);
    await page.locator(`.conv[data-conversation="${importedId}"]`).waitFor();
    await screenshot(page, "transfer-01-imported");
    await link.click();
    await page.waitForURL(new RegExp(`#/w/${workspaceId}/c/${importedId}$`));
    expect(await dialog.count()).toBe(0);
    await page.locator(".message", { hasText: "Faster sync and a new export menu." }).waitFor();
    expect(await page.evaluate(messageTextsIn, `ws/${workspaceId}/conv/${importedId}`)).toEqual(["What changed in **2.4**?", "Faster sync and a new export menu."]);
    expect(await page.locator(".group--ai .group__model").first().textContent()).toBe("test-model-7b");
  });

  it("shows a large import's upload progress, then the conversation it made", async () => {
    // Over a 1.5 MB/s uplink a 12 MB file takes seconds to send: long enough to watch the bar move.
    // (The kernel's socket buffers take the first ~4 MB at once, so a smaller file can jump
    // straight past 95 %.)
    const link = await startSlowLink(server.port, 1.5 * 1024 * 1024);
    const slow = await openPerson(browser, "ann on a slow link");
    try {
      const { page } = slow;
      await signIn(page, `${link.url}/#/w/${workspaceId}`, annSession.user.username);
      await waitLive(page);
      const big = {
        format: "junokit.conversation",
        version: 1,
        meta: { title: "Big archive", persona: "ops", ai: "off", createdAt: Date.now() },
        messages: Array.from({ length: 3000 }, (_, i) => ({
          id: `b${i}`,
          role: "user",
          authorId: annSession.user.id,
          authorName: "ANN",
          createdAt: Date.now() - 100_000 + i,
          text: `Log line ${i}: ${"x".repeat(4000)}`,
          status: "done",
        })),
        notes: { type: "doc", content: [] },
      };
      const buffer = Buffer.from(JSON.stringify(big));
      expect(buffer.length).toBeGreaterThan(12_000_000);
      // Every state the bar shows is recorded in the page as it renders: polling from here could
      // miss the whole upload on a loaded machine, and then find the bar already gone.
      await page.evaluate(recordImportProgress);
      await startImport(page, await fileOf("big.json", buffer));
      const dialog = page.getByRole("dialog", { name: "Import conversations" });
      await dialog.getByRole("status").filter({ hasText: "Imported 1 conversation" }).waitFor({ timeout: 60_000 });
      const shown = await page.evaluate(() => (window as unknown as { importProgress: ProgressSample[] }).importProgress);
      // Part of the file is sent, not all of it: the bar and its words say how far, together.
      const midway = shown.filter((s) => s.done > 0.05 && s.done < 0.95);
      expect(midway.length, JSON.stringify(shown.slice(0, 20))).toBeGreaterThan(0);
      for (const sample of midway) {
        expect(sample.text).toMatch(/^Uploading [\d.]+ (KB|MB) of 1[12](\.\d)? MB \(\d+ %\)$/);
        const percent = Number(/\((\d+) %\)/.exec(sample.text)?.[1]);
        expect(Math.abs(percent - sample.done * 100)).toBeLessThan(15);
      }
      expect(shown.some((s) => s.phase === "processing")).toBe(true);
      await screenshot(page, "transfer-02-imported-large");
      await sidebarEntries(page, "Big archive").waitFor();
      await dialog.getByRole("button", { name: "Done" }).click();
      expect(slow.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    } finally {
      await slow.context.close();
      await link.close();
    }
  });

  it("shows the server's reason for a refused file, and creates nothing", async () => {
    const { page } = ann;
    const before = await page.locator("nav[aria-label='Conversations'] .conv").count();
    await startImport(page, { name: "old.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ format: "junokit.conversation", version: 99 })) });
    const dialog = page.getByRole("dialog", { name: "Import conversations" });
    const alert = dialog.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe("junokit.conversation version 99 is not supported; this server reads version 1");

    // Over the server's limit: its 413 and its words, not a dropped connection.
    await dialog.locator('input[type="file"]').setInputFiles(await fileOf("huge.json", Buffer.alloc(17 * 1024 * 1024, " ")));
    await dialog.getByRole("button", { name: "Import", exact: true }).click();
    await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toBe(`the file is over the import limit of ${IMPORT_LIMIT} bytes`);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await dialog.count()).toBe(0);
    const listed = await api(server.url, `/api/workspaces/${workspaceId}/conversations`, { token: annSession.token });
    expect(listed.body.length).toBe(before);
    expect(ann.errors.filter((e) => !/favicon|status of 40[0-9]|status of 413/.test(e))).toEqual([]);
  });

  it("lets a viewer export the workspace, with no import anywhere", async () => {
    await signInToWorkspace(bob, bobSession.user.username);
    const { page } = bob;
    await sidebarEntries(page, "Big archive").waitFor();
    expect(await page.getByRole("button", { name: "Import…" }).count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export workspace" }).click()]);
    expect(download.suggestedFilename()).toBe("Transfer team.json");
    const archive = JSON.parse(await readFile((await download.path())!, "utf8"));
    expect(archive.format).toBe("junokit.workspace");
    expect(archive.conversations.map((c: { meta: { title: string } }) => c.meta.title).sort()).toEqual(["Big archive", TITLE, TITLE]);
    await page.locator(`.conv[data-conversation="${conversationId}"]`).click();
    await page.getByRole("button", { name: "Export conversation" }).waitFor();
    expect(await page.getByRole("button", { name: "Import…" }).count()).toBe(0);
    expect(bob.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});

describe("the composer (APP-MENTION-1)", () => {
  it("offers the persona's starters in an empty conversation, and @ completes members and the AI", async () => {
    const { page } = ann;
    const conv = await api(server.url, `/api/workspaces/${workspaceId}/conversations`, { token: annSession.token, body: { title: "Fresh", persona: "qa" } });
    await page.goto(`${server.url}/#/w/${workspaceId}/c/${conv.body.id}`);
    const starters = page.locator(".starters .starter");
    await starters.first().waitFor();
    expect(await starters.allTextContents()).toEqual(["List edge cases for…", "Write a test plan for…", "How could this fail?"]);
    await starters.nth(2).click();
    const box = page.getByRole("textbox", { name: "Message" });
    await expect.poll(() => box.inputValue()).toBe("How could this fail?");

    await box.fill("");
    await box.pressSequentially("Ask @");
    const list = page.getByRole("listbox", { name: "People to mention" });
    expect(await list.getByRole("option").allTextContents()).toEqual(["@aiQA, the AI", `@${bobSession.user.username}${bobSession.user.displayName}`]);
    await box.pressSequentially(bobSession.user.username.slice(0, 3));
    await page.keyboard.press("Enter");
    expect(await box.inputValue()).toBe(`Ask @${bobSession.user.username} `);
    expect(await list.count()).toBe(0);
    await box.pressSequentially("and @a");
    await page.keyboard.press("Tab");
    await box.pressSequentially("please check.");
    expect(await box.inputValue()).toBe(`Ask @${bobSession.user.username} and @ai please check.`);
    await page.keyboard.press("Enter");
    await page.locator(".message", { hasText: "please check." }).waitFor();
    expect(await page.evaluate(messageTextsIn, `ws/${workspaceId}/conv/${conv.body.id}`)).toContain(`Ask @${bobSession.user.username} and @ai please check.`);
  });
});
