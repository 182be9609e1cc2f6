// End-to-end (SPEC AI-19): an owner creates a custom persona in the workspace settings,
// switches a conversation to it, and the other person sees the persona and the conversation's
// theme change live; the AI answers with the persona's model and temperature. The operator
// allows one model besides AI_MODEL (AI_ALLOWED_MODELS), so the form offers a select.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiSse, streamOf } from "../../collab-server/test/support/openai-sse";
import { addMember, api, register, startTestServer, type Session, type TestServer } from "../../collab-server/test/support/server";
import { APP_DIST, ensureAppBuilt, launchBrowser, openConversation, openPerson, screenshot, signIn, type Person } from "./support";

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
  server = await startTestServer({ appDist: APP_DIST, env: { AI_BASE_URL: llm.baseUrl, AI_API_KEY: "sk-local", AI_MODEL: "test-model", AI_ALLOWED_MODELS: "vendor/pirate-13b" } });
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
  await signIn(person.page, server.url, who.user.username);
  await openConversation(person.page, url);
}

/** The conversation's theme colour, as its section sets it. */
function themeOf(page: Page): Promise<string> {
  return page.locator(".conversation").evaluate((el) => (el as HTMLElement).style.getPropertyValue("--persona").trim());
}

// One story in three steps, run in this order (vitest runs a file's tests one after another):
// step 1 signs Ann and Bob in and creates Pirate through the form; step 2 switches the
// conversation to Pirate; step 3 edits and deletes Pirate. Steps 2 and 3 need what step 1 made
// and say so at once if step 1 did not finish.
let step1Done = false;
let step2Done = false;
describe("custom personas in the app (AI-19): create → switch → edit and delete", () => {
  it("AI-19 step 1: an owner creates a persona in the workspace settings, with validation messages", async () => {
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
    // Only the models the operator allows are offered: the server's own and vendor/pirate-13b.
    const offered = await form.getByLabel(/Model/).locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(["", "vendor/pirate-13b"]);
    await form.getByLabel(/Model/).selectOption("vendor/pirate-13b");
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
    step1Done = true;
  });

  it("AI-19 step 2 (needs step 1's Pirate): switching the conversation to it changes the persona and the theme for the other person live; the AI answers as it", async () => {
    expect(step1Done, "step 1 did not create Pirate").toBe(true);
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
    step2Done = true;
  });

  it("AI-19 step 3 (needs step 1's Pirate, step 2's switch): an owner's edit of the persona's colour reaches the open conversation live; deleting it shows Dev", async () => {
    expect(step2Done, "step 2 did not switch the conversation to Pirate").toBe(true);
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
