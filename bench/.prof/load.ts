/// <reference lib="dom" />
import { appendMessage, writeMeta } from "@junokit/doc-model";
import { chromium } from "playwright-core";
import { ensureAppBuilt, APP_DIST } from "../../app/e2e/support/build";
import { api, register, startTestServer } from "../../collab-server/test/support/server";

await ensureAppBuilt();
const N = Number(process.env.N ?? 1000);
const server = await startTestServer({ appDist: process.env.DIST ?? APP_DIST });
const session = await register(server.url, `prof${Date.now().toString(36)}`);
const ws = await api(server.url, "/api/workspaces", { token: session.token, body: { name: "P" } });
const conv = await api(server.url, `/api/workspaces/${ws.body.id}/conversations`, { token: session.token, body: { title: "c", ai: "off" } });
await server.server.collab.writer.change(conv.body.docName, (doc) => {
  writeMeta(doc, { ai: "off" });
  for (let i = 0; i < N; i++) appendMessage(doc, { id: `m${i}`, role: i % 2 ? "assistant" : "user", authorId: i % 2 ? "ai" : session.user.id, authorName: "X", createdAt: Date.now() - (N - i) * 60000, text: `Message ${i}: **bold** and a [link](https://e.com) and more text here` });
});
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
await ctx.addInitScript({ content: "window.__name = (f) => f; window.__et=[]; new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__et.push(e.renderTime))).observe({ type: 'element' }); new MutationObserver(() => { if (!window.__dom && document.querySelector('.conversation .message')) window.__dom = performance.now(); if (!window.__sw && document.querySelector('.switcher__select')) window.__sw = performance.now(); }).observe(document, { childList: true, subtree: true });" });
const page = await ctx.newPage();
await page.goto(server.url);
await page.evaluate((s) => localStorage.setItem("junokit.session", JSON.stringify(s)), session);
const url = `${server.url}/#/w/${ws.body.id}/c/${conv.body.id}`;
await page.goto(url);
await page.reload();
await page.locator('.conversation[data-synced="true"][data-local="true"]').waitFor({ timeout: 60000 });
await page.waitForTimeout(2000);
for (let run = 0; run < 4; run++) {
  await page.goto("about:blank");
  await page.goto(url);
  await page.locator('.conversation[data-local="true"]').waitFor();
  await page.waitForTimeout(300);
  console.log(await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const js = performance.getEntriesByType("resource").filter((r) => r.name.includes("/assets/index-") && r.name.endsWith(".js"))[0] as PerformanceResourceTiming | undefined;
    const w = window as any;
    const r = (x: number | undefined) => Math.round(x ?? -1);
    return `resp ${r(nav.responseEnd)} js ${r(js?.responseEnd)} domInteractive ${r(nav.domInteractive)} dcl ${r(nav.domContentLoadedEventEnd)} switcher ${r(w.__sw)} msgDOM ${r(w.__dom)} painted ${r(Math.min(...w.__et))}`;
  }));
}
await browser.close();
await server.close();
