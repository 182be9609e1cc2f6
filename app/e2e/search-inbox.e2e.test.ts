// End-to-end: the search palette and a mention notification, in Debian's Chromium against the
// real server serving the built app (SPEC SRCH-*, INBOX-*).
import { appendMessage, writeMeta } from "@junokit/doc-model";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, api, register, startTestServer, type Session, type TestServer } from "../../collab-server/test/support/server";
import { APP_DIST, ensureAppBuilt, launchBrowser, openPerson, screenshot, signIn, waitLive, type Person } from "./support";

const run = Date.now().toString(36).slice(-5);

let server: TestServer;
let browser: Browser;
let ann: Person;
let bob: Person;
let annSession: Session;
let bobSession: Session;
let workspaceId = "";
let conversationId = "";

beforeAll(async () => {
  await ensureAppBuilt();
  server = await startTestServer({ appDist: APP_DIST });
  annSession = await register(server.url, `ann${run}`);
  const ws = await api(server.url, "/api/workspaces", { token: annSession.token, body: { name: "Search team" } });
  workspaceId = ws.body.id;
  bobSession = await addMember(server.url, annSession, workspaceId, "editor");
  const conv = await api(server.url, `/api/workspaces/${workspaceId}/conversations`, { token: annSession.token, body: { title: "Launch plan" } });
  conversationId = conv.body.id;
  // Enough history that the found message is far from the top; the AI stays out.
  await server.server.collab.writer.change(conv.body.docName, (doc) => {
    writeMeta(doc, { ai: "off" });
    for (let i = 0; i < 60; i++) {
      appendMessage(doc, { id: `filler${i}`, role: "user", authorId: annSession.user.id, authorName: "ANN", createdAt: Date.now() - 100_000 + i, text: `Standup note ${i}: nothing special today.` });
    }
    appendMessage(doc, { id: "target", role: "user", authorId: annSession.user.id, authorName: "ANN", createdAt: Date.now() - 1000, text: "The kubernetes upgrade is scheduled for Friday." });
    for (let i = 60; i < 80; i++) {
      appendMessage(doc, { id: `filler${i}`, role: "user", authorId: annSession.user.id, authorName: "ANN", createdAt: Date.now() - 900 + i, text: `Later note ${i}.` });
    }
  });
  browser = await launchBrowser();
  ann = await openPerson(browser, "ann");
  bob = await openPerson(browser, "bob");
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Signs in on the workspace's page and waits for a live connection. */
async function signInToWorkspace(person: Person, username: string): Promise<void> {
  await signIn(person.page, `${server.url}/#/w/${workspaceId}`, username);
  await waitLive(person.page);
}

function bell(page: Page) {
  return page.locator(".inbox__bell");
}

describe("search palette (SRCH-E2E-1)", () => {
  it("opens with Ctrl+K, finds a message despite a typo, and jumps to it with a highlight", async () => {
    await signInToWorkspace(ann, annSession.user.username);
    const { page } = ann;
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Search" });
    await palette.waitFor();
    await page.getByRole("combobox", { name: "Search messages and notes" }).fill("kubernets upgrde");
    const hit = palette.locator('.search-hit[data-hit-message-id="target"]');
    await hit.waitFor();
    await expect.poll(() => hit.locator(".search-hit__title").textContent()).toBe("Launch plan");
    expect(await hit.locator("mark").allTextContents()).toEqual(["kubernetes", "upgrade"]);
    await screenshot(page, "search-01-palette");
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`#/w/${workspaceId}/c/${conversationId}$`));
    const message = page.locator('.message[data-message-id="target"]');
    await page.locator(".message.message--found[data-message-id='target']").waitFor();
    expect(await message.isVisible()).toBe(true);
    expect(await palette.count()).toBe(0);
    await screenshot(page, "search-02-found");
  });

  it("says so when nothing matches and closes with Escape", async () => {
    const { page } = ann;
    await page.locator(".search-launcher").click();
    await page.getByRole("combobox", { name: "Search messages and notes" }).fill("zebra-crossing-quux");
    await page.getByText("Nothing matches “zebra-crossing-quux”.").waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("dialog", { name: "Search" }).count()).toBe(0);
  });
});

describe("mention notification (INBOX-E2E-1)", () => {
  it("shows Bob's bell count go up when Ann mentions him, and opening the item takes him to the message", async () => {
    await signInToWorkspace(bob, bobSession.user.username);
    const { page } = bob;
    // Being added to the workspace already brought an invitation.
    await expect.poll(() => bell(page).getAttribute("aria-label")).toBe("Notifications, 1 unread");

    const box = ann.page.getByRole("textbox", { name: "Message" });
    await box.fill(`@${bobSession.user.username} can you review the rollout checklist?`);
    await box.press("Enter");

    await expect.poll(() => bell(page).getAttribute("aria-label")).toBe("Notifications, 2 unread");
    await bell(page).click();
    const item = page.locator('.inbox__item[data-kind="mention"]');
    await item.waitFor();
    expect(await item.locator(".inbox__title").textContent()).toBe("You were mentioned");
    expect(await item.locator(".inbox__text").textContent()).toContain("can you review the rollout checklist?");
    await screenshot(page, "inbox-01-mention");
    await item.locator(".inbox__open").click();
    await page.waitForURL(new RegExp(`#/w/${workspaceId}/c/${conversationId}$`));
    await page.locator(".message.message--found", { hasText: "can you review the rollout checklist?" }).waitFor();
    await expect.poll(() => bell(page).getAttribute("aria-label")).toBe("Notifications, 1 unread");

    await bell(page).click();
    await page.getByRole("button", { name: "Mark all read" }).click();
    await expect.poll(() => bell(page).getAttribute("aria-label")).toBe("Notifications");
    expect(bob.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    expect(ann.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
