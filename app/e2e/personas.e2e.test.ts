// End-to-end (SPEC AI-19): an owner creates a custom persona in the workspace settings,
// switches a conversation to it, and the other person sees the persona and the conversation's
// theme change live; the AI answers with the persona's model and temperature.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiSse, streamOf } from "../../collab-server/test/support/openai-sse";
import { addMember, api, register, startTestServer, type Session, type TestServer } from "../../collab-server/test/support/server";
import { APP_DIST, ensureAppBuilt, launchBrowser, openPerson, screenshot, type Person } from "./support";

let server: TestServer;
let llm: Awaited<ReturnType<typeof startOpenAiSse>>;
let browser: Browser;
let ann: Person;
let bob: Person;
let owner: Session;
let editor: Session;
let conversationUrl = "";

beforeAll(async () => {
  await ensureAppBuilt();
  llm = await startOpenAiSse();
  llm.otherwise({ steps: streamOf("Arr, noted.") });
  server = await startTestServer({ appDist: APP_DIST, env: { AI_BASE_URL: llm.baseUrl, AI_API_KEY: "sk-local", AI_MODEL: "test-model" } });
  owner = await register(server.url);
  const ws = await api(server.url, "/api/workspaces", { token: owner.token, body: { name: "Crew" } });
  editor = await addMember(server.url, owner, ws.body.id, "editor");
  const conv = await api(server.url, `/api/workspaces/${ws.body.id}/conversations`, { token: owner.token, body: { title: "Voyage", persona: "dev" } });
  conversationUrl = `${server.url}/#/w/${ws.body.id}/c/${conv.body.id}`;
  browser = await launchBrowser();
  ann = await openPerson(browser, "ann");
  bob = await openPerson(browser, "bob");
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await llm?.close();
});

async function signInTo(person: Person, who: Session, url: string): Promise<void> {
  const { page } = person;
  await page.goto(server.url);
  await page.getByLabel("Username").fill(who.user.username);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".switcher__select").waitFor();
  await page.goto(url);
  await page.locator('.conversation[data-synced="true"]').waitFor();
}

/** The conversation's theme colour, as its section sets it. */
function themeOf(page: Page): Promise<string> {
  return page.locator(".conversation").evaluate((el) => (el as HTMLElement).style.getPropertyValue("--persona").trim());
}

describe("custom personas in the app (AI-19)", () => {
  it("AI-19 an owner creates a persona in the workspace settings, with validation messages", async () => {
    await signInTo(ann, owner, conversationUrl);
    await signInTo(bob, editor, conversationUrl);
    const { page } = ann;
    await page.getByRole("button", { name: /Members/ }).click();
    await page.getByRole("tab", { name: "Personas" }).click();
    await page.getByRole("button", { name: "+ New persona" }).click();
    const form = page.getByRole("form", { name: "New persona" });
    await form.getByLabel("Name").fill("Pirate");
    await form.getByLabel(/Temperature/).fill("3");
    await form.getByRole("button", { name: "Create persona" }).click();
    // Nothing was sent: the form names what is wrong.
    await form.getByText("say who the AI should be").waitFor();
    await form.getByText("a number from 0 to 2").waitFor();
    await form.getByLabel("System prompt").fill("You are Pirate, a salty captain. Answer in pirate speak.");
    await form.getByLabel(/Temperature/).fill("0.7");
    await form.getByLabel(/Model/).fill("vendor/pirate-13b");
    await form.getByLabel("Colour").fill("#b45309");
    await form.getByLabel(/Starter prompts/).fill("Sing a shanty\nPlot a course");
    await form.getByRole("button", { name: "Create persona" }).click();
    await page.locator(".persona-row", { hasText: "Pirate" }).waitFor();
    await expect.poll(() => page.locator(".persona-row", { hasText: "Pirate" }).textContent()).toContain("vendor/pirate-13b · temperature 0.7");

    // Bob, an editor, sees it read-only.
    await bob.page.getByRole("button", { name: /Members/ }).click();
    await bob.page.getByRole("tab", { name: "Personas" }).click();
    await bob.page.locator(".persona-row", { hasText: "Pirate" }).waitFor();
    expect(await bob.page.getByRole("button", { name: "+ New persona" }).count()).toBe(0);
    expect(await bob.page.locator(".persona-row").getByRole("button", { name: "Edit" }).count()).toBe(0);
    await screenshot(ann.page, "personas-01-settings");
  });

  it("AI-19 switching the conversation to it changes the persona and the theme for the other person live; the AI answers as it", async () => {
    expect(await themeOf(bob.page)).toBe("#2563eb");
    await ann.page.getByLabel("Persona", { exact: true }).selectOption({ label: "Pirate" });
    await expect.poll(() => bob.page.locator(".persona-select option:checked").textContent()).toBe("Pirate");
    await expect.poll(() => themeOf(bob.page)).toBe("#b45309");
    await expect.poll(() => themeOf(ann.page)).toBe("#b45309");

    const box = bob.page.getByRole("textbox", { name: "Message" });
    await box.fill("Where to, captain?");
    await box.press("Enter");
    await ann.page.locator(".message", { hasText: "Arr, noted." }).waitFor();
    const request = llm.requests.find((r) => JSON.stringify(r.body.messages).includes("Where to, captain?"))!;
    expect(request.body).toMatchObject({ model: "vendor/pirate-13b", temperature: 0.7 });
    expect(request.body.messages![0]!.content).toContain("You are Pirate, a salty captain.");
    await screenshot(bob.page, "personas-02-switched");
  });

  it("AI-19 an owner's edit of the persona's colour reaches the open conversation live; deleting it shows Dev", async () => {
    const { page } = ann;
    await page.locator(".persona-row", { hasText: "Pirate" }).getByRole("button", { name: "Edit" }).click();
    const form = page.getByRole("form", { name: "Edit Pirate" });
    await form.getByLabel("Colour").fill("#1d4ed8");
    await form.getByRole("button", { name: "Save persona" }).click();
    await expect.poll(() => themeOf(bob.page)).toBe("#1d4ed8");

    await page.locator(".persona-row", { hasText: "Pirate" }).getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("button", { name: "Delete Pirate" }).click();
    await expect.poll(() => themeOf(bob.page)).toBe("#2563eb");
    await expect.poll(() => bob.page.locator(".persona-select option:checked").textContent()).toBe("Dev");
    expect(ann.errors.filter((e) => !e.includes("favicon"))).toEqual([]);
    expect(bob.errors.filter((e) => !e.includes("favicon"))).toEqual([]);
  });
});
