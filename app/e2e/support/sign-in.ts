// Getting a person into the app the way they would: the sign-in screen (or its Create account
// tab), then waiting for what shows they are in: the workspace switcher, a live connection, a
// synced conversation.
import type { Page } from "playwright-core";

/** Every test account's password (collab-server/test/support/server.ts registers with it). */
export const PASSWORD = "correct horse battery";

/** Signs in on the sign-in screen at `url` and waits for the workspace switcher. */
export async function signIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".switcher__select").waitFor();
}

/** Creates an account on the sign-in screen's Create account tab and waits for the workspace switcher. */
export async function createAccount(page: Page, url: string, username: string, displayName: string): Promise<void> {
  await page.goto(url);
  await page.getByRole("tab", { name: "Create account" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Display name").fill(displayName);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.locator(".switcher__select").waitFor();
}

/** Waits until the page's connection to the server is live. */
export async function waitLive(page: Page): Promise<void> {
  await page.locator('[data-connection="live"]').first().waitFor();
}

/** Opens a conversation's URL and waits until its document has synced. */
export async function openConversation(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.conversation[data-synced="true"]').waitFor();
}
