// The browser side of "fast" (issue 5): how long from navigating to a cached conversation
// until its first message is painted, for conversations of 100, 1,000 and 10,000 messages,
// online and offline, in Debian's Chromium against the real server serving the built app.
//
// Two navigations are measured, each from a fresh page (nothing of the conversation in memory,
// everything in IndexedDB): `switch` is an in-app navigation (the hash changes on a loaded app,
// as when picking a conversation in the sidebar); `load` is a full page load of the
// conversation's URL (the app boots from the service worker's cache). "Painted" is the Element
// Timing render time of the first message's author line. Alongside: when the live document
// is loaded and the longest main-thread task meanwhile (what could freeze the page).
// Run it alone: `npx tsx bench/browser.ts` (BENCH_QUICK=1 for fewer runs; BENCH_PROFILE=1 writes a
// Chromium trace of each case's last run to bench/results/profiles/browser, for chrome://tracing
// or DevTools' performance panel).
/// <reference lib="dom" />
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { appendMessage, writeMeta } from "@junokit/doc-model";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { APP_DIST, ensureAppBuilt } from "../app/e2e/support/build";
import { api, register, startTestServer, type Session, type TestServer } from "../collab-server/test/support/server";
import { foreignLoad, processTreeCpuMs, sampleMachine } from "./machine";
import { summarize, type Summary } from "./samples";

export interface BrowserSizes {
  messages: number[];
  /** Measured runs per case (after one warm-up). */
  runs: number;
}

export const BROWSER_FULL: BrowserSizes = { messages: [100, 1_000, 10_000], runs: 7 };
export const BROWSER_QUICK: BrowserSizes = { messages: [100, 1_000, 10_000], runs: 3 };
export const BROWSER_TINY: BrowserSizes = { messages: [100], runs: 1 };

type Network = "online" | "offline";
type Navigation = "switch" | "load";

export interface BrowserCase {
  messages: number;
  network: Network;
  navigation: Navigation;
  /** Navigation → first message painted, ms. */
  firstPaintMs: Summary;
  /** Navigation → the live document loaded (all messages available), ms. */
  loadedMs: Summary;
  /** Longest main-thread task between navigation and loaded, ms (p50/max over runs). */
  longestTaskMs: Summary;
  /** Messages rendered once loaded (the window, not the whole conversation). */
  rendered: number;
  /** Share of the machine's CPU that processes other than the bench and its browser used meanwhile. */
  otherWork: number;
}

export interface BrowserResult {
  chromium: string;
  cases: BrowserCase[];
  goals: { name: string; target: string; measured: string; met: boolean }[];
}

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface BrowserOptions {
  /** Write a Chromium performance trace of the last run of each case here (BENCH_PROFILE). */
  traceDir?: string;
}

export async function runBrowserBench(sizes: BrowserSizes, progress: (message: string) => void, options: BrowserOptions = {}): Promise<BrowserResult> {
  await ensureAppBuilt();
  const server = await startTestServer({ appDist: APP_DIST });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const setup = await seed(server, sizes.messages, progress);
    const cases: BrowserCase[] = [];
    for (const network of ["online", "offline"] as const) {
      const page = await openApp(browser, server, setup.session);
      await primeCaches(page, setup, progress);
      for (const conv of setup.conversations) {
        for (const navigation of ["switch", "load"] as const) {
          cases.push(await measureCase(page, setup.workspaceId, conv, network, navigation, sizes.runs, progress, options.traceDir));
        }
      }
      await page.context().close();
    }
    return { chromium: browser.version(), cases, goals: goalsOf(cases) };
  } finally {
    await browser.close();
    await server.close();
  }
}

interface Seeded {
  session: Awaited<ReturnType<typeof register>>;
  workspaceId: string;
  conversations: { id: string; messages: number }[];
}

/** Conversations of each size, written on the server the way people and the AI would. */
async function seed(server: TestServer, sizes: number[], progress: (m: string) => void): Promise<Seeded> {
  const session = await register(server.url, `bench${Date.now().toString(36)}`);
  const ws = await api(server.url, "/api/workspaces", { token: session.token, body: { name: "Bench" } });
  const conversations: Seeded["conversations"] = [];
  for (const messages of sizes) {
    const res = await api(server.url, `/api/workspaces/${ws.body.id}/conversations`, { token: session.token, body: { title: `${messages} messages`, ai: "off" } });
    const started = Date.now();
    await server.server.collab.writer.change(res.body.docName, (doc) => {
      writeMeta(doc, { ai: "off" });
      for (let i = 0; i < messages; i++) appendMessage(doc, sampleMessage(i, messages, session.user.id));
    });
    progress(`browser · seeded ${messages} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    conversations.push({ id: res.body.id, messages });
  }
  return { session, workspaceId: ws.body.id, conversations };
}

/** A question, then an AI answer with Markdown (also bench/offline-search.ts's conversations). */
export function sampleMessage(i: number, total: number, userId: string) {
  const ai = i % 2 === 1;
  const text = ai
    ? `Here is what I found about item ${i}: the **first** option is simpler, the second scales better.\n\n- keep the cache bounded\n- measure before and after\n\nSee [the notes](https://example.com/${i}) for details.`
    : `Message ${i} of ${total}: can you compare the two approaches we discussed for the release?`;
  return {
    id: `m${i}`,
    role: ai ? ("assistant" as const) : ("user" as const),
    authorId: ai ? "ai" : userId,
    authorName: ai ? "Dev" : "Bench",
    createdAt: Date.now() - (total - i) * 60_000,
    text,
    ...(ai ? { replyTo: `m${i - 1}`, model: "bench" } : {}),
  };
}

async function openApp(browser: Browser, server: TestServer, session: Seeded["session"]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // tsx names functions with an `__name` helper that pages don't have.
  await context.addInitScript({ content: "window.__name = (f) => f;" });
  // Observers from the very start of every page, so a full load is seen from its first task.
  await context.addInitScript(() => {
    const w = window as unknown as { __bench: { tasks: { at: number; duration: number }[]; painted: number[] } };
    w.__bench = { tasks: [], painted: [] };
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__bench.tasks.push({ at: e.startTime, duration: e.duration }))).observe({ type: "longtask" });
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => {
        const entry = e as PerformanceEntry & { identifier?: string; renderTime?: number; loadTime?: number };
        if (entry.identifier === "message") w.__bench.painted.push(entry.renderTime || entry.loadTime || entry.startTime);
      }),
    ).observe({ type: "element" });
  });
  return openSignedIn(context, server, session);
}

/** A new page of `context`, signed in the way signing in leaves it (the session in localStorage), its service worker ready. */
export async function openSignedIn(context: BrowserContext, server: TestServer, session: Session): Promise<Page> {
  const page = await context.newPage();
  await page.goto(server.url);
  await page.evaluate((s) => localStorage.setItem("junokit.session", JSON.stringify(s)), session);
  await page.reload();
  await page.locator(".switcher__select").waitFor({ timeout: 30_000 });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  return page;
}

/** Opens every conversation once online so that it is cached (document, first screen, acks). */
async function primeCaches(page: Page, setup: Seeded, progress: (m: string) => void): Promise<void> {
  for (const conv of setup.conversations) {
    await page.goto(conversationUrl(page, setup.workspaceId, conv.id));
    await page.locator('.conversation[data-synced="true"][data-local="true"]').waitFor({ timeout: 60_000 });
    // The first screen is kept a second after the document settles.
    await page.waitForTimeout(1500);
  }
  await page.goto(workspaceUrl(page, setup.workspaceId));
  await page.waitForTimeout(500);
  progress("browser · caches primed");
}

const origin = (page: Page) => new URL(page.url()).origin;
const workspaceUrl = (page: Page, wid: string) => `${origin(page)}/#/w/${wid}`;
const conversationUrl = (page: Page, wid: string, cid: string) => `${origin(page)}/#/w/${wid}/c/${cid}`;

interface Run {
  firstPaint: number;
  loaded: number;
  longestTask: number;
  rendered: number;
}

async function measureCase(
  page: Page,
  workspaceId: string,
  conv: Seeded["conversations"][number],
  network: Network,
  navigation: Navigation,
  runs: number,
  progress: (m: string) => void,
  traceDir: string | undefined,
): Promise<BrowserCase> {
  const samples: Run[] = [];
  const from = { machine: sampleMachine(), ours: processTreeCpuMs(process.pid) };
  await page.context().setOffline(network === "offline");
  for (let i = 0; i <= runs; i++) {
    const trace = traceDir && i === runs ? join(traceDir, `${conv.messages}-${network}-${navigation}.json`) : undefined;
    const run = navigation === "switch" ? await measureSwitch(page, workspaceId, conv.id, network, trace) : await measureLoad(page, workspaceId, conv.id, network, trace);
    if (i > 0) samples.push(run); // the first run warms up
  }
  await page.context().setOffline(false);
  const otherWork = foreignLoad(from.machine, sampleMachine(), processTreeCpuMs(process.pid) - from.ours);
  const result: BrowserCase = {
    messages: conv.messages,
    network,
    navigation,
    firstPaintMs: summarize(samples.map((s) => s.firstPaint)),
    loadedMs: summarize(samples.map((s) => s.loaded)),
    longestTaskMs: summarize(samples.map((s) => s.longestTask)),
    rendered: samples.at(-1)?.rendered ?? 0,
    otherWork,
  };
  progress(
    `browser · ${conv.messages} messages, ${network}, ${navigation}: first message painted p50 ${result.firstPaintMs.p50.toFixed(0)} ms, loaded p50 ${result.loadedMs.p50.toFixed(0)} ms, longest task p50 ${result.longestTaskMs.p50.toFixed(0)} ms, other work ${percent(otherWork)}`,
  );
  return result;
}

/** In-app navigation from the workspace page (a fresh page: nothing of the conversation in memory). */
async function measureSwitch(page: Page, wid: string, cid: string, network: Network, trace?: string): Promise<Run> {
  await page.goto(workspaceUrl(page, wid));
  await page.reload();
  await settle(page, network);
  return traced(page, trace, () => page.evaluate(inPageMeasure, { hash: `#/w/${wid}/c/${cid}`, since: null }));
}

/** A full page load of the conversation's URL. */
async function measureLoad(page: Page, wid: string, cid: string, network: Network, trace?: string): Promise<Run> {
  await page.goto(workspaceUrl(page, wid));
  await settle(page, network);
  const url = conversationUrl(page, wid, cid);
  await page.goto("about:blank");
  return traced(page, trace, async () => {
    await page.goto(url, { waitUntil: "commit" });
    return page.evaluate(inPageMeasure, { hash: null, since: 0 });
  });
}

/** Runs `measure`, recording a Chromium performance trace of it into `path` when given. */
async function traced(page: Page, path: string | undefined, measure: () => Promise<Run>): Promise<Run> {
  if (!path) return measure();
  const browser = page.context().browser()!;
  await mkdir(dirname(path), { recursive: true });
  await browser.startTracing(page, { path, categories: TRACE_CATEGORIES });
  try {
    return await measure();
  } finally {
    await browser.stopTracing();
  }
}

// What Chrome DevTools' performance panel records, plus V8's compile and parse events.
const TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame", "v8", "v8.execute", "disabled-by-default-v8.compile", "blink.user_timing", "loading", "latencyInfo", "ServiceWorker", "navigation", "disabled-by-default-v8.cpu_profiler"];

async function settle(page: Page, network: Network): Promise<void> {
  await page.locator(`[data-connection="${network === "online" ? "live" : "offline"}"]`).first().waitFor({ timeout: 30_000 });
  await page.locator(".conv").first().waitFor({ timeout: 30_000 });
  // Let the app finish its own start-up work before the clock starts.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
}

/**
 * Runs in the page. With `hash`, starts the clock and navigates; with `since` (0 = the page's
 * navigation start), measures a load already under way. Resolves with the figures in ms.
 */
function inPageMeasure({ hash, since }: { hash: string | null; since: number | null }): Promise<Run> {
  const bench = (window as unknown as { __bench: { tasks: { at: number; duration: number }[]; painted: number[] } }).__bench;
  const origin = since ?? performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message painted / loaded (painted: ${bench.painted.length})`)), 60_000);
    const painted = () => bench.painted.filter((at) => at >= origin);
    const poll = () => {
      const loaded = document.querySelector('.conversation[data-local="true"] .message');
      if (painted().length > 0 && loaded) {
        const loadedAt = performance.now();
        // A moment more to catch a long task that ends the load.
        setTimeout(() => {
          clearTimeout(timer);
          const tasks = bench.tasks.filter((t) => t.at >= origin && t.at <= loadedAt).map((t) => t.duration);
          resolve({
            firstPaint: Math.min(...painted()) - origin,
            loaded: loadedAt - origin,
            longestTask: tasks.length ? Math.max(...tasks) : 0,
            rendered: document.querySelectorAll(".conversation .message").length,
          });
        }, 100);
        return;
      }
      setTimeout(poll, 5);
    };
    if (hash) location.hash = hash;
    poll();
  });
}

function goalsOf(cases: BrowserCase[]): BrowserResult["goals"] {
  // Worst p50 of online and offline, for one navigation kind.
  const worst = (messages: number, navigation: Navigation) => {
    const matching = cases.filter((c) => c.messages === messages && c.navigation === navigation);
    return matching.length ? Math.max(...matching.map((c) => c.firstPaintMs.p50)) : Number.NaN;
  };
  const goal = (name: string, messages: number, navigation: Navigation, target: number) => {
    const measured = worst(messages, navigation);
    return { name, target: `≤ ${target} ms`, measured: `${measured.toFixed(0)} ms`, met: measured <= target };
  };
  return [
    goal("first message painted, 1,000 messages, in-app navigation (worst p50 online/offline)", 1_000, "switch", 100),
    goal("first message painted, 1,000 messages, full page load", 1_000, "load", 100),
    goal("first screen painted, 10,000 messages, in-app navigation", 10_000, "switch", 150),
    goal("first screen painted, 10,000 messages, full page load", 10_000, "load", 150),
  ];
}

const percent = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(0)} %` : "n/a");

export function renderBrowser(r: BrowserResult): string {
  const lines = [
    `Cached conversations in Chromium ${r.chromium}: navigation → first message painted (Element Timing), → live document loaded, longest main-thread task; p50 / max over ${r.cases[0]?.firstPaintMs.count ?? 0} runs`,
    "",
    "| messages | network | navigation | first paint p50 | max | loaded p50 | longest task p50 | max | rendered | other work |",
    "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ...r.cases.map(
      (c) =>
        `| ${c.messages.toLocaleString("en")} | ${c.network} | ${c.navigation} | ${c.firstPaintMs.p50.toFixed(0)} ms | ${c.firstPaintMs.max.toFixed(0)} ms | ${c.loadedMs.p50.toFixed(0)} ms | ${c.longestTaskMs.p50.toFixed(0)} ms | ${c.longestTaskMs.max.toFixed(0)} ms | ${c.rendered} | ${percent(c.otherWork)} |`,
    ),
    "",
    "other work: share of the machine's CPU (all cores) used by processes outside the bench and its browser while the case ran; on this shared 2-core box anything far above 0 % stretches every figure.",
    "",
    ...r.goals.map((g) => `${g.met ? "✓" : "✗"} ${g.name}: ${g.measured} (goal ${g.target})`),
  ];
  return lines.join("\n");
}

// Standalone: `npx tsx bench/browser.ts`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const sizes = process.env.BENCH_QUICK === "1" ? BROWSER_QUICK : BROWSER_FULL;
  const began = Date.now();
  const traceDir = process.env.BENCH_PROFILE === "1" ? fileURLToPath(new URL("./results/profiles/browser", import.meta.url)) : undefined;
  runBrowserBench(sizes, (m) => process.stderr.write(`[bench ${((Date.now() - began) / 1000).toFixed(1)}s] ${m}\n`), traceDir ? { traceDir } : {}).then(
    (result) => {
      process.stdout.write(`${renderBrowser(result)}\n`);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
