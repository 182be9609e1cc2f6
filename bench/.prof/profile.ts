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
await ctx.addInitScript({ content: "window.__name = (f) => f;" });
const page = await ctx.newPage();
await page.goto(server.url);
await page.evaluate((s) => localStorage.setItem("junokit.session", JSON.stringify(s)), session);
const wurl = `${server.url}/#/w/${ws.body.id}`;
const curl = `${wurl}/c/${conv.body.id}`;
await page.goto(curl);
await page.reload();
await page.locator('.conversation[data-synced="true"][data-local="true"]').waitFor({ timeout: 60000 });
await page.waitForTimeout(2000);
for (let run = 0; run < 3; run++) {
  await page.goto(wurl);
  await page.reload();
  await page.locator('[data-connection="live"]').first().waitFor();
  await page.locator(".conv").first().waitFor();
  await page.waitForTimeout(500);
  await page.evaluate((u) => ((window as any).__target = u), `#/w/${ws.body.id}/c/${conv.body.id}`);
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  const t = await page.evaluate(() => new Promise<number[]>((resolve) => {
    const t0 = performance.now();
    const marks: number[] = [];
    const poll = () => {
      if (!marks[0] && document.querySelector(".conversation .message")) marks[0] = performance.now() - t0;
      if (document.querySelector('.conversation[data-local="true"] .message')) { marks[1] = performance.now() - t0; resolve(marks); return; }
      setTimeout(poll, 2);
    };
    location.hash = (window as any).__target;
    poll();
  }).catch((e) => [String(e)] as any)).catch(() => []);
  void t;
  await page.waitForTimeout(10);
  const { profile } = await cdp.send("Profiler.stop");
  // self time per function
  const self = new Map<string, number>();
  const dt = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
  (profile.samples ?? []).forEach((id: number, i: number) => {
    const n: any = byId.get(id);
    const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(`run ${run}`, JSON.stringify(t));
  for (const [k, v] of top) console.log(`  ${v.toFixed(1).padStart(7)} ms  ${k}`);
}
await browser.close();
await server.close();
