import { chromium } from "playwright-core";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
await page.addInitScript({ content: "window.__name = (f) => f;" });
await page.route("http://bench.local/", (route) => route.fulfill({ contentType: "text/html", body: "<p>x</p><div id=root></div>" }));
await page.goto("http://bench.local/");
for (const mode of ["raf-timeout", "raf-raf-timeout", "none"]) {
  const r = await page.evaluate((mode) => new Promise((resolve) => {
    const entries: number[] = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e: any) => entries.push(e.renderTime))).observe({ type: "element" });
    const t0 = performance.now();
    const el = document.createElement("span"); el.setAttribute("elementtiming", "x" + mode); el.textContent = "hello " + mode;
    document.getElementById("root")!.append(el);
    const block = () => { const s = performance.now(); while (performance.now() - s < 300); };
    if (mode === "raf-timeout") requestAnimationFrame(() => setTimeout(block, 0));
    else if (mode === "raf-raf-timeout") requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(block, 0)));
    else setTimeout(block, 0);
    setTimeout(() => resolve(entries.map((e) => e - t0)), 800);
  }), mode);
  console.log(mode, r);
}
await browser.close();
