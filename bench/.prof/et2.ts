import { chromium } from "playwright-core";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
await page.addInitScript({ content: "window.__name = (f) => f; window.__et = []; new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__et.push([e.identifier, e.renderTime, e.loadTime, e.startTime]))).observe({ type: 'element', buffered: true });" });
await page.route("http://bench.local/", (route) => route.fulfill({ contentType: "text/html", body: "<p elementtiming='static'>static text</p><div id=root></div>" }));
await page.goto("http://bench.local/");
await page.waitForTimeout(300);
console.log(await page.evaluate(() => JSON.stringify((window as any).__et)));
for (const mode of ["none", "raf-timeout", "raf-raf-timeout"]) {
  const t0 = await page.evaluate((mode) => {
    const t0 = performance.now();
    const el = document.createElement("p"); el.setAttribute("elementtiming", mode); el.textContent = "hello " + mode;
    document.getElementById("root")!.append(el);
    const block = () => { const s = performance.now(); while (performance.now() - s < 300); };
    if (mode === "raf-timeout") requestAnimationFrame(() => setTimeout(block, 0));
    else if (mode === "raf-raf-timeout") requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(block, 0)));
    else setTimeout(block, 0);
    return t0;
  }, mode);
  await page.waitForTimeout(1000);
  console.log(mode, await page.evaluate((t0) => JSON.stringify((window as any).__et.filter((e: any) => e[3] >= t0 || e[1] >= t0).map((e: any) => [e[0], e[1] - t0])), t0));
}
await browser.close();
