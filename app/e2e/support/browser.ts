// Debian's Chromium through playwright-core (never a downloaded browser), one context per
// person, with everything a test needs to notice trouble: console errors, page errors,
// dialogs and requests.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { APP_DIR } from "./build";

export const ARTIFACTS = join(APP_DIR, "e2e", "artifacts");

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export interface Person {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen on this person's page. */
  errors: string[];
  dialogs: string[];
  requests: string[];
  /** URLs of the WebSockets the page opened. */
  sockets: string[];
}

export async function openPerson(browser: Browser, name: string, options: { colorScheme?: "light" | "dark" } = {}): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: options.colorScheme ?? "light" });
  // The debug handle (window.__junokit) is off in production builds unless this is set.
  await context.addInitScript(() => localStorage.setItem("junokitDebug", "1"));
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const person: Person = { name, context, page, errors: [], dialogs: [], requests: [], sockets: [] };
  page.on("console", (m) => {
    if (m.type() === "error") person.errors.push(m.text());
  });
  page.on("pageerror", (e) => person.errors.push(`pageerror: ${e.message}`));
  page.on("dialog", (d) => {
    person.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("request", (r) => person.requests.push(r.url()));
  page.on("websocket", (ws) => person.sockets.push(ws.url()));
  return person;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
