/// <reference lib="dom" />
import { appendMessage, writeMeta } from "@junokit/doc-model";
import { chromium } from "playwright-core";
import { api, register, startTestServer } from "../../collab-server/test/support/server";

const N = Number(process.env.N ?? 1000);
const server = await startTestServer({ appDist: "/tmp/dist-dev" });
const session = await register(server.url, `prof${Date.now().toString(36)}`);
const ws = await api(server.url, "/api/workspaces", { token: session.token, body: { name: "P" } });
const conv = await api(server.url, `/api/workspaces/${ws.body.id}/conversations`, { token: session.token, body: { title: "c", ai: "off" } });
await server.server.collab.writer.change(conv.body.docName, (doc) => {
  writeMeta(doc, { ai: "off" });
  for (let i = 0; i < N; i++) appendMessage(doc, { id: `m${i}`, role: i % 2 ? "assistant" : "user", authorId: i % 2 ? "ai" : session.user.id, authorName: "X", createdAt: Date.now() - (N - i) * 60000, text: `Message ${i}: **bold** and a [link](https://e.com) and more text here` });
});
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
await ctx.addInitScript({ content: "window.__name = (f) => f; window.__et=[]; new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__et.push(e.renderTime))).observe({ type: 'element' });" });
const page = await ctx.newPage();
await page.goto(server.url);
await page.evaluate((s) => localStorage.setItem("junokit.session", JSON.stringify(s)), session);
const url = `${server.url}/#/w/${ws.body.id}/c/${conv.body.id}`;
await page.goto(url);
await page.reload();
await page.locator('.conversation[data-synced="true"][data-local="true"]').waitFor({ timeout: 60000 });
await page.waitForTimeout(2000);
for (let run = 0; run < 3; run++) {
  await page.goto("about:blank");
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  await page.goto(url);
  await page.waitForFunction(() => (window as any).__et.length > 0);
  const painted = await page.evaluate(() => Math.round(Math.min(...(window as any).__et)));
  const { profile } = await cdp.send("Profiler.stop");
  // Self time of samples before the first paint, by function.
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
  let t = profile.startTime;
  const navStart = await page.evaluate(() => performance.timeOrigin * 1000);
  (profile.samples ?? []).forEach((id: number, i: number) => {
    t += profile.timeDeltas![i]!;
    const n: any = byId.get(id);
    const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + profile.timeDeltas![i]! / 1000);
  });
  void navStart;
  console.log(`run ${run} painted ${painted}`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 22)) console.log(`  ${v.toFixed(1).padStart(7)} ms  ${k}`);
}
await browser.close();
await server.close();
