/// <reference lib="dom" />
import { appendMessage, writeMeta } from "@junokit/doc-model";
import { chromium } from "playwright-core";
import { ensureAppBuilt, APP_DIST } from "../../app/e2e/support/build";
import { api, register, startTestServer } from "../../collab-server/test/support/server";

await ensureAppBuilt();
const N = Number(process.env.N ?? 10000);
const server = await startTestServer({ appDist: APP_DIST });
const session = await register(server.url, `prof${Date.now().toString(36)}`);
const ws = await api(server.url, "/api/workspaces", { token: session.token, body: { name: "P" } });
const conv = await api(server.url, `/api/workspaces/${ws.body.id}/conversations`, { token: session.token, body: { title: "c", ai: "off" } });
await server.server.collab.writer.change(conv.body.docName, (doc) => {
  writeMeta(doc, { ai: "off" });
  for (let i = 0; i < N; i++) appendMessage(doc, { id: `m${i}`, role: i % 2 ? "assistant" : "user", authorId: i % 2 ? "ai" : session.user.id, authorName: "X", createdAt: Date.now() - (N - i) * 60000, text: `Message ${i}: **bold** and a [link](https://e.com) and more text here` });
});
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", process.env.EXTRA ?? "--no-first-run"] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
await ctx.addInitScript({ content: "window.__name = (f) => f; window.__et=[]; new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__et.push(e.renderTime))).observe({ type: 'element' });" });
const page = await ctx.newPage();
await page.goto(server.url);
await page.evaluate((s) => localStorage.setItem("junokit.session", JSON.stringify(s)), session);
const wurl = `${server.url}/#/w/${ws.body.id}`;
await page.goto(`${wurl}/c/${conv.body.id}`);
await page.reload();
await page.locator('.conversation[data-synced="true"][data-local="true"]').waitFor({ timeout: 60000 });
await page.waitForTimeout(2000);
for (let run = 0; run < 3; run++) {
  await page.goto(wurl);
  await page.reload();
  await page.locator('[data-connection="live"]').first().waitFor();
  await page.waitForTimeout(500);
  const r = await page.evaluate((hash) => new Promise((resolve) => {
    const t0 = performance.now();
    const log: string[] = [];
    let seen = false;
    const frame = () => { log.push(`raf ${Math.round(performance.now() - t0)}`); if (performance.now() - t0 < 600) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    const mo = new MutationObserver(() => { if (!seen && document.querySelector(".messages--preview .message")) { seen = true; log.push(`preview ${Math.round(performance.now() - t0)}`); } });
    mo.observe(document.body, { childList: true, subtree: true });
    location.hash = hash;
    setTimeout(() => { mo.disconnect(); log.push("et " + JSON.stringify([...new Set((window as any).__et.filter((x: number) => x >= t0).map((x: number) => Math.round(x - t0)))])); resolve(log.join(" | ")); }, 900);
  }), `#/w/${ws.body.id}/c/${conv.body.id}`);
  console.log(r);
}
await browser.close();
await server.close();
