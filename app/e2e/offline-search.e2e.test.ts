// End-to-end: search when the server can't be reached (this device's cached conversations,
// SPEC SRCH-7) and jumping to a hit far above the rendered window of a long conversation
// (SRCH-8), in Debian's Chromium against the real server serving the built app.
import { appendMessage, writeMeta } from "@junokit/doc-model";
import type { Page } from "playwright-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, register, startTestServer, type Session, type TestServer } from "../../collab-server/test/support/server";
import { APP_DIST, ensureAppBuilt, launchBrowser, openPerson, screenshot, type Person } from "./support";

const run = Date.now().toString(36).slice(-5);

let server: TestServer;
let browser: Browser;
let ann: Person;
let session: Session;
let workspaceId = "";

beforeAll(async () => {
  await ensureAppBuilt();
  server = await startTestServer({ appDist: APP_DIST });
  session = await register(server.url, `ann${run}`);
  const ws = await api(server.url, "/api/workspaces", { token: session.token, body: { name: "Search offline" } });
  workspaceId = ws.body.id;
  browser = await launchBrowser();
  ann = await openPerson(browser, "ann");
  await ann.page.goto(server.url);
  await ann.page.evaluate((s) => localStorage.setItem("junokit.session", JSON.stringify(s)), session);
  await ann.page.reload();
  await ann.page.locator(".switcher__select").waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A conversation with `count` messages written on the server; `special` puts given texts at given positions. */
async function conversation(title: string, count: number, special: Record<number, { id: string; text: string }> = {}) {
  const res = await api(server.url, `/api/workspaces/${workspaceId}/conversations`, { token: session.token, body: { title, ai: "off" } });
  const { id, docName } = res.body as { id: string; docName: string };
  await server.server.collab.writer.change(docName, (doc) => {
    writeMeta(doc, { ai: "off" });
    for (let i = 0; i < count; i++) {
      const message = special[i] ?? { id: `${id}-${i}`, text: `Routine update ${i} about the weekly sync.` };
      appendMessage(doc, { ...message, role: "user", authorId: session.user.id, authorName: "ANN", createdAt: Date.now() - (count - i) * 1000 });
    }
  });
  return { id, docName, url: `${server.url}/#/w/${workspaceId}/c/${id}` };
}

async function openConversation(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.conversation[data-synced="true"]').waitFor();
}

async function openPalette(page: Page) {
  await page.keyboard.press("Control+k");
  const palette = page.getByRole("dialog", { name: "Search" });
  await palette.waitFor();
  return palette;
}

const searchBox = (page: Page) => page.getByRole("combobox", { name: "Search messages and notes" });
const windowOf = async (page: Page) => (await page.locator(".messages").getAttribute("data-window")) ?? "";

describe("offline search over this device's cached conversations (SRCH-E2E-2, SRCH-7, SRCH-8)", () => {
  it("finds a message of a cached conversation with a typo and a word's beginning when the server can't be reached and while offline, says what it searched, and jumps to it", async () => {
    const { page, context } = ann;
    // The hit sits far above the rendered window of its 400-message conversation.
    const travel = await conversation("Travel plans", 400, { 25: { id: "zeppelin", text: "Book the zeppelin itinerary for the Lisbon offsite." } });
    const budget = await conversation("Budget", 30);
    await conversation("Never opened here", 5, { 2: { id: "elsewhere", text: "The zeppelin hangar is not cached on this device." } });
    await openConversation(page, budget.url);
    await openConversation(page, travel.url);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.locator(".messages").click();

    // Online, but the server's search can't be reached: the palette falls back to this device.
    await page.route("**/api/workspaces/*/search?*", (route) => route.abort("connectionrefused"));
    const fallback = await openPalette(page);
    await searchBox(page).fill("zepelin itiner");
    const scopeOnline = fallback.locator('.search-palette__device[data-search-source="device"]:not([data-reading])');
    await scopeOnline.waitFor();
    expect(await scopeOnline.textContent()).toContain("The server can't be reached: searched the 2 conversations kept on this device");
    await fallback.locator('.search-hit[data-hit-message-id="zeppelin"]').waitFor();
    await page.keyboard.press("Escape");
    await page.unroute("**/api/workspaces/*/search?*");

    await context.setOffline(true);
    const requestsBefore = ann.requests.length;
    const palette = await openPalette(page);
    await palette.getByText("Offline: searches the conversations kept on this device.").waitFor();
    await searchBox(page).fill("zepelin itiner");
    const hit = palette.locator('.search-hit[data-hit-message-id="zeppelin"]');
    await hit.waitFor();
    const scope = palette.locator('.search-palette__device[data-search-source="device"]:not([data-reading])');
    await scope.waitFor();
    expect(await scope.textContent()).toContain("searched the 2 conversations kept on this device");
    expect(await scope.textContent()).toContain("Not on this device (never opened here): “Never opened here”");
    expect(await hit.locator(".search-hit__title").textContent()).toBe("Travel plans");
    expect(await hit.locator("mark").allTextContents()).toEqual(["zeppelin", "itinerary"]);
    // Nothing of the uncached conversation, and no request left the browser.
    expect(await palette.locator('.search-hit[data-hit-message-id="elsewhere"]').count()).toBe(0);
    expect(ann.requests.slice(requestsBefore).filter((u) => u.includes("/search"))).toEqual([]);
    await screenshot(page, "offline-search-01-palette");

    await openConversation(page, budget.url);
    await openPalette(page);
    await searchBox(page).fill("zepelin itiner");
    await page.locator('.search-hit[data-hit-message-id="zeppelin"]').waitFor();
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`#/w/${workspaceId}/c/${travel.id}$`));
    const found = page.locator('.message.message--found[data-message-id="zeppelin"]');
    await found.waitFor();
    expect(await found.isVisible()).toBe(true);
    expect(await windowOf(page)).not.toMatch(/-400\/400$/);
    await screenshot(page, "offline-search-02-found");
    await context.setOffline(false);
    expect(ann.errors.filter((e) => !/favicon|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
  });
});

describe("a hit far above the rendered window (SRCH-E2E-3, SRCH-8, OFF-LARGE-1)", () => {
  it("jumps to a message thousands of messages up, from another conversation and from the same one, and highlights it", async () => {
    const { page } = ann;
    const long = await conversation("Long history", 3000, { 120: { id: "flamingo", text: "The flamingo budget was approved by finance." } });
    const other = await conversation("Elsewhere", 3);
    await page.locator('[data-connection="live"]').first().waitFor();
    await openConversation(page, other.url);

    const pick = async () => {
      await openPalette(page);
      await searchBox(page).fill("flamingo budget");
      await page.locator('.search-hit[data-hit-message-id="flamingo"]').waitFor();
      await page.keyboard.press("Enter");
      const found = page.locator('.message.message--found[data-message-id="flamingo"]');
      // The 3,000 messages come from the server first: slow on a busy machine (SRCH-8 waits 30 s).
      await found.waitFor({ timeout: 30_000 });
      expect(await found.isVisible()).toBe(true);
      // Rendered around the hit, never the whole conversation.
      expect(await page.locator(".conversation .message").count()).toBeLessThanOrEqual(300);
      expect(await windowOf(page)).not.toMatch(/-3000\/3000$/);
    };

    await pick();
    expect(page.url()).toMatch(new RegExp(`#/w/${workspaceId}/c/${long.id}$`));
    await screenshot(page, "offline-search-03-far-hit");

    // Back at the newest messages of the same conversation, the same hit is found again.
    await page.getByRole("button", { name: /Jump to the latest/ }).click();
    await expect.poll(() => windowOf(page)).toMatch(/-3000\/3000$/);
    await expect.poll(() => page.locator(".message.message--found").count()).toBe(0);
    await pick();
    expect(ann.errors.filter((e) => !/favicon|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
  });
});
