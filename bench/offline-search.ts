// Offline search in the browser (SPEC SRCH-7): how long the palette takes to search this
// device's cached conversations when the server can't be reached, in Debian's Chromium against
// the real server serving the built app. Cases: many medium conversations (10 × 1,000 messages)
// and one long one (10,000 messages).
//
// Each run reloads the page offline (the app shell from the service worker, a fresh search
// worker with an empty index), opens the palette and types a query: the *cold* search reads
// every cached copy from IndexedDB and indexes it (`read`, in the worker, as the palette
// reports it), then queries; two more queries follow on the warm index (`query`, the index's own
// time, and typed → hits shown, which includes the palette's 150 ms debounce). Alongside: the
// longest main-thread task from typing to the cold results (what could freeze the page) and the
// characters indexed. Run it with `BENCH_ONLY=offline-search npm run bench`.
/// <reference lib="dom" />
import { appendMessage, writeMeta } from "@junokit/doc-model";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../app/e2e/support/browser";
import { APP_DIST, ensureAppBuilt } from "../app/e2e/support/build";
import { api, register, startTestServer, type TestServer } from "../collab-server/test/support/server";
import { openSignedIn, sampleMessage } from "./browser";
import { summarize, type Summary } from "./samples";

export interface OfflineSearchSizes {
  cases: { conversations: number; messages: number }[];
  /** Measured runs per case (after one warm-up). */
  runs: number;
}

export const OFFLINE_SEARCH_FULL: OfflineSearchSizes = { cases: [{ conversations: 10, messages: 1_000 }, { conversations: 1, messages: 10_000 }], runs: 5 };
export const OFFLINE_SEARCH_QUICK: OfflineSearchSizes = { ...OFFLINE_SEARCH_FULL, runs: 2 };
export const OFFLINE_SEARCH_TINY: OfflineSearchSizes = { cases: [{ conversations: 2, messages: 100 }], runs: 1 };

export interface OfflineSearchCase {
  conversations: number;
  messages: number;
  /** Reading and indexing every cached copy (the first search after a reload), ms. */
  coldReadMs: Summary;
  /** Typed → hits shown for that first search, ms (150 ms debounce included). */
  coldShownMs: Summary;
  /** The index's own time per query once built, ms. */
  warmQueryMs: Summary;
  /** Typed → hits shown once built, ms (150 ms debounce included). */
  warmShownMs: Summary;
  /** Longest main-thread task from typing to the cold results, ms. */
  longestTaskMs: Summary;
  indexedChars: number;
}

export interface OfflineSearchResult {
  chromium: string;
  cases: OfflineSearchCase[];
}

export async function runOfflineSearchBench(sizes: OfflineSearchSizes, progress: (message: string) => void): Promise<OfflineSearchResult> {
  await ensureAppBuilt();
  const server = await startTestServer({ appDist: APP_DIST });
  const browser = await launchBrowser();
  try {
    const session = await register(server.url, `osearch${Date.now().toString(36)}`);
    const cases: OfflineSearchCase[] = [];
    for (const size of sizes.cases) {
      const setup = await seed(server, session, size, progress);
      cases.push(await measureCase(browser, server, session, setup, size, sizes.runs, progress));
    }
    return { chromium: browser.version(), cases };
  } finally {
    await browser.close();
    await server.close();
  }
}

type Session = Awaited<ReturnType<typeof register>>;
interface Seeded {
  workspaceId: string;
  conversationIds: string[];
}

/** A workspace of its own per case (offline search keeps one workspace's index). */
async function seed(server: TestServer, session: Session, size: OfflineSearchSizes["cases"][number], progress: (m: string) => void): Promise<Seeded> {
  const ws = await api(server.url, "/api/workspaces", { token: session.token, body: { name: `${size.conversations} × ${size.messages}` } });
  const conversationIds: string[] = [];
  const started = Date.now();
  for (let c = 0; c < size.conversations; c++) {
    const res = await api(server.url, `/api/workspaces/${ws.body.id}/conversations`, { token: session.token, body: { title: `Conversation ${c}`, ai: "off" } });
    await server.server.collab.writer.change(res.body.docName, (doc) => {
      writeMeta(doc, { ai: "off" });
      for (let i = 0; i < size.messages; i++) appendMessage(doc, sampleMessage(i, size.messages, session.user.id));
    });
    conversationIds.push(res.body.id);
  }
  progress(`offline search · seeded ${size.conversations} × ${size.messages} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { workspaceId: ws.body.id, conversationIds };
}

async function measureCase(browser: Browser, server: TestServer, session: Session, setup: Seeded, size: OfflineSearchSizes["cases"][number], runs: number, progress: (m: string) => void): Promise<OfflineSearchCase> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript({ content: "window.__name = (f) => f;" });
    await context.addInitScript(() => {
      const w = window as unknown as { __tasks: { at: number; duration: number }[] };
      w.__tasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__tasks.push({ at: e.startTime, duration: e.duration }))).observe({ type: "longtask" });
    });
    const page = await openSignedIn(context, server, session);
    // Every conversation opened once online, so this device keeps it.
    for (const id of setup.conversationIds) {
      await page.goto(`${server.url}/#/w/${setup.workspaceId}/c/${id}`);
      await page.locator('.conversation[data-synced="true"][data-local="true"]').waitFor({ timeout: 60_000 });
      await page.waitForTimeout(500);
    }
    await page.goto(`${server.url}/#/w/${setup.workspaceId}`);
    progress(`offline search · ${size.conversations} × ${size.messages}: caches primed`);
    await context.setOffline(true);

    // A broad query with typos (half the messages match), then a selective one and a broad one.
    const target = size.messages > 5_000 ? 4217 : 417;
    const queries = { cold: "aproaches relese", warm: [`item ${target}`, "measur befor"] };
    const samples: Run[] = [];
    for (let i = 0; i <= runs; i++) {
      const run = await measureRun(page, setup.workspaceId, server.url, queries);
      if (i > 0) samples.push(run);
    }
    const result: OfflineSearchCase = {
      ...size,
      coldReadMs: summarize(samples.map((s) => s.coldReadMs)),
      coldShownMs: summarize(samples.map((s) => s.coldShownMs)),
      warmQueryMs: summarize(samples.flatMap((s) => s.warmQueryMs)),
      warmShownMs: summarize(samples.flatMap((s) => s.warmShownMs)),
      longestTaskMs: summarize(samples.map((s) => s.longestTaskMs)),
      indexedChars: samples.at(-1)?.indexedChars ?? 0,
    };
    progress(
      `offline search · ${size.conversations} × ${size.messages}: cold read+index p50 ${result.coldReadMs.p50.toFixed(0)} ms (shown ${result.coldShownMs.p50.toFixed(0)} ms), warm query p50 ${result.warmQueryMs.p50.toFixed(1)} ms (shown ${result.warmShownMs.p50.toFixed(0)} ms), longest main-thread task p50 ${result.longestTaskMs.p50.toFixed(0)} ms`,
    );
    return result;
  } finally {
    await context.close();
  }
}

interface Run {
  coldReadMs: number;
  coldShownMs: number;
  warmQueryMs: number[];
  warmShownMs: number[];
  longestTaskMs: number;
  indexedChars: number;
}

async function measureRun(page: Page, workspaceId: string, origin: string, queries: { cold: string; warm: string[] }): Promise<Run> {
  // A fresh page offline: the shell from the service worker, a new worker with an empty index.
  await page.goto(`${origin}/#/w/${workspaceId}`);
  await page.reload();
  await page.locator('[data-connection="offline"]').first().waitFor({ timeout: 30_000 });
  await page.locator(".conv").first().waitFor({ timeout: 30_000 });
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  // Opening the palette offline starts reading the copies (the person is about to type).
  const openedAt = await page.evaluate(() => performance.now());
  await page.keyboard.press("Control+k");
  const box = page.getByRole("combobox", { name: "Search messages and notes" });
  await box.waitFor();

  const cold = await search(page, queries.cold, openedAt);
  const run: Run = { coldReadMs: cold.readMs, coldShownMs: cold.shownMs, warmQueryMs: [], warmShownMs: [], longestTaskMs: cold.longestTaskMs, indexedChars: cold.indexedChars };
  for (const query of queries.warm) {
    const warm = await search(page, query, null);
    run.warmQueryMs.push(warm.searchMs);
    run.warmShownMs.push(warm.shownMs);
  }
  await page.keyboard.press("Escape");
  return run;
}

/**
 * Types the query in the open palette (after emptying it, which clears the last results);
 * resolves once this device's results for it are shown. Long tasks count from `since` (or typing).
 */
async function search(page: Page, query: string, since: number | null) {
  const box = page.getByRole("combobox", { name: "Search messages and notes" });
  await box.fill("");
  await page.locator(".search-palette__device").waitFor({ state: "detached" });
  return page.evaluate(
    ({ q, since }) =>
      new Promise<{ readMs: number; searchMs: number; shownMs: number; longestTaskMs: number; indexedChars: number }>((resolve, reject) => {
        const tasks = (window as unknown as { __tasks: { at: number; duration: number }[] }).__tasks;
        const input = document.querySelector<HTMLInputElement>(".search-palette__input")!;
        const began = performance.now();
        // React listens to the native input event; set the value the way typing does.
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(input, q);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        const timer = setTimeout(() => reject(new Error(`no offline results for "${q}"`)), 120_000);
        const poll = () => {
          const scope = document.querySelector<HTMLElement>(".search-palette__device:not([data-reading])");
          if (scope && document.querySelector(".search-hit")) {
            const at = performance.now();
            clearTimeout(timer);
            const longest = tasks.filter((t) => t.at + t.duration >= (since ?? began) && t.at <= at).reduce((m, t) => Math.max(m, t.duration), 0);
            resolve({
              readMs: Number(scope.dataset.readMs),
              searchMs: Number(scope.dataset.searchMs),
              shownMs: at - began,
              longestTaskMs: longest,
              indexedChars: Number(scope.dataset.indexedChars),
            });
            return;
          }
          requestAnimationFrame(poll);
        };
        poll();
      }),
    { q: query, since },
  );
}

export function renderOfflineSearch(r: OfflineSearchResult): string {
  const ms = (s: Summary, digits = 0) => `${s.p50.toFixed(digits)} / ${s.max.toFixed(digits)} ms`;
  return [
    `Offline search over this device's cached conversations in Chromium ${r.chromium} (SPEC SRCH-7; p50 / max over ${r.cases[0]?.coldReadMs.count ?? 0} runs, a fresh page and worker each)`,
    "",
    "| cached | read + index (cold) | typed → hits, cold | query (warm) | typed → hits, warm | longest main-thread task | indexed chars |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...r.cases.map(
      (c) =>
        `| ${c.conversations} × ${c.messages.toLocaleString("en")} | ${ms(c.coldReadMs)} | ${ms(c.coldShownMs)} | ${ms(c.warmQueryMs, 1)} | ${ms(c.warmShownMs)} | ${ms(c.longestTaskMs)} | ${c.indexedChars.toLocaleString("en")} |`,
    ),
    "",
    "typed → hits includes the palette's 150 ms debounce; read + index and query are the worker's own times.",
  ].join("\n");
}
