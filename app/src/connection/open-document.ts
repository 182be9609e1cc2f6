// One open document: its Y.Doc bound first to the device's cache and then to the shared
// socket, its tab relay, and what the server has acknowledged of it. The connection
// (documents.ts) owns the set of these and decides when one closes or is replaced.
import type { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { messageList, parseDocName } from "@junokit/doc-model";
import * as Y from "yjs";
import { cacheName, LocalCache, reportStorageProblem, storageRecovered, type CacheRecords } from "../cache";
import { AckTracker } from "./acknowledged";
import { GuardedProvider } from "./guarded-provider";
import { markWaiting } from "./outbox";
import { keepScreen, readKeptScreen } from "./screens";
import { createStore, type Store } from "../store";
import { relayBetweenTabs, type TabRelay } from "./tabs";

export interface DocumentState {
  /** The device's copy is in the document (or there was none to load). */
  local: boolean;
  /** The first sync with the server is done. */
  synced: boolean;
  /** What the server allows on this document; null until it has answered. */
  scope: "read-write" | "readonly" | null;
  /** Why the server refused the document, if it did. */
  refused: string | null;
  /** Changes the server has not acknowledged yet: each message counts once, other edits as one. */
  waiting: number;
  /** This copy was thrown away (the server's was reset): open the document again. */
  replaced: boolean;
  /** Something the person should know about this document, said once. */
  notice: string | null;
  /** The first screen kept last time, to paint until the document itself is loaded. */
  screen: unknown;
}

export interface DocumentHandle {
  name: string;
  doc: Y.Doc;
  provider: HocuspocusProvider;
  state: Store<DocumentState>;
  /** Bumps whenever acknowledgements may have changed. */
  acks: Store<number>;
  /** True when the server has acknowledged the content that created `type` (a message's map). */
  isAcknowledged(type: Y.AbstractType<any>): boolean;
  /** Runs `fn` once the cached content is in the document: a message appended earlier would sort before it. */
  whenLocal(fn: () => void): void;
  /** The kept first screen is on screen: loading the document (a long task when large) may start. */
  screenShown(): void;
  /** Give the document back; it closes after a grace period unless it still has changes to deliver. */
  release(): void;
}

export interface DocumentOptions {
  userId: string;
  getToken: () => string | null;
  onTokenRefused?: () => void;
  indexedDB?: IDBFactory | null;
  screenOf?(name: string, doc: Y.Doc): unknown;
}

/** What an open document needs from its connection. */
export interface DocumentLink {
  socket: HocuspocusProviderWebsocket;
  options: DocumentOptions;
  /** Its waiting count changed. */
  changed(): void;
  release(entry: OpenDocument): void;
  /** The server forgot what it acknowledged (reset), or another tab deleted the cache. */
  replace(entry: OpenDocument, reason: "server" | "lost"): void;
}

/** If the cache is slow or broken, the network must not wait for it longer than this. */
const LOCAL_LOAD_TIMEOUT_MS = 2000;
const SCREEN_DELAY_MS = 1000;
/**
 * The longest the load of a document waits for its kept first screen to be on screen. Only a
 * fallback (Element Timing says when it is): on a slow or busy machine the first paint can
 * take longer than a few hundred ms, and loading a large document before it would hold the
 * screen blank for the whole load.
 */
const SCREEN_PAINT_WAIT_MS = 1000;

const INITIAL_STATE: DocumentState = { local: false, synced: false, scope: null, refused: null, waiting: 0, replaced: false, notice: null, screen: null };

export class OpenDocument {
  readonly doc = new Y.Doc();
  readonly state: Store<DocumentState>;
  readonly provider: GuardedProvider;
  readonly cache: LocalCache;
  readonly ack: AckTracker;
  readonly handle: DocumentHandle;
  refs = 1;
  closeTimer: ReturnType<typeof setTimeout> | null = null;
  closed = false;
  replacing = false;
  /** The cache generation this copy was loaded from (null: no cache). */
  generation: string | null = null;
  private held = false;
  private relay: TabRelay | null = null;
  private localWaiters: (() => void)[] = [];
  /** Set once a view rendered the kept screen: resolves when it is on the screen (or soon anyway). */
  private screenPresented: Promise<void> | null = null;
  private attachTimer: ReturnType<typeof setTimeout>;
  private screenTimer: ReturnType<typeof setTimeout> | null = null;
  private waitingScheduled = false;
  private readonly isConversation: boolean;

  constructor(
    readonly name: string,
    private readonly link: DocumentLink,
  ) {
    const { options } = link;
    this.isConversation = parseDocName(name)?.kind === "conversation";
    // The kept first screen is there for the very first render (see screens.ts).
    this.state = createStore<DocumentState>({ ...INITIAL_STATE, screen: options.screenOf ? readKeptScreen(options.userId, name) : null });
    this.provider = new GuardedProvider({
      websocketProvider: link.socket,
      name,
      document: this.doc,
      token: () => options.getToken() ?? "",
      onSynced: ({ state: synced }) => this.patch({ synced }),
      onAuthenticated: ({ scope }) => {
        this.patch({ scope, refused: null });
        this.scheduleWaiting();
      },
      onAuthenticationFailed: ({ reason }) => {
        this.patch({ refused: reason || "permission denied" });
        this.scheduleWaiting();
        if (/token/i.test(reason)) options.onTokenRefused?.();
      },
    });
    // The provider hears document updates only once the document goes on the network (see attach).
    this.doc.off("update", this.provider.boundDocumentUpdateHandler);
    this.cache = new LocalCache(cacheName(options.userId, name), this.doc, {
      factory: options.indexedDB,
      onProblem: reportStorageProblem,
      onRecovered: storageRecovered,
      onLost: () => link.replace(this, "lost"),
      // Server content and its acknowledgement reach the disk together (an offline reload
      // right after a sync must not count the server's own messages as waiting).
      acknowledged: () => (this.ack.acknowledged.size > 0 ? this.ack.encoded() : null),
      // A kept first screen paints before the (possibly long) load of the document itself.
      // A view renders it in the same task as it opens the document (layout effects), before
      // IndexedDB answers: if none did by now, nobody shows it and nothing waits.
      beforeLoad: () => this.screenPresented ?? Promise.resolve(),
    });
    this.ack = new AckTracker(this.doc, this.provider, (vector) => void this.cache.keep("acked", vector));
    this.ack.version.subscribe(() => this.scheduleWaiting());
    this.handle = {
      name,
      doc: this.doc,
      provider: this.provider,
      state: this.state,
      acks: this.ack.version,
      isAcknowledged: (type) => this.ack.isAcknowledged(type),
      whenLocal: (fn) => (this.state.get().local ? fn() : this.localWaiters.push(fn)),
      screenShown: () => {
        this.screenPresented ??= afterPresented(SCREEN_PAINT_WAIT_MS);
      },
      release: () => link.release(this),
    };
    this.attachTimer = setTimeout(() => this.attach(), LOCAL_LOAD_TIMEOUT_MS);
    void this.cache.records.then((records) => this.onRecords(records));
    void this.cache.loaded.then(() => this.onLocal());
  }

  /** Runs `fn` once the server sync is done (at once if it is). */
  whenSynced(fn: () => void): void {
    if (this.state.get().synced) return fn();
    const stop = this.state.subscribe(() => {
      if (!this.state.get().synced) return;
      stop();
      fn();
    });
  }

  patch(change: Partial<DocumentState>): void {
    this.state.set({ ...this.state.get(), ...change });
  }

  /** Keeps the document open while it has changes to deliver. */
  hold(): void {
    if (this.held || this.closed) return;
    this.held = true;
    this.refs += 1;
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
  }

  async close(keepScreen: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.attachTimer);
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.doc.off("update", this.onDocUpdate);
    if (this.screenTimer) {
      clearTimeout(this.screenTimer);
      if (keepScreen) this.keepScreen();
    }
    this.relay?.close();
    this.ack.destroy();
    this.provider.destroy();
    await this.cache.destroy();
    this.doc.destroy();
  }

  private onRecords(records: CacheRecords | null): void {
    if (this.closed) return;
    this.generation = records?.generation ?? null;
    this.ack.restore(records?.acked ?? null);
    this.provider.refuseServerState = (vector) => {
      if (!this.ack.serverForgot(vector)) return false;
      this.link.replace(this, "server");
      return true;
    };
  }

  private onLocal(): void {
    if (this.closed) return;
    this.patch({ local: true, screen: null });
    // Tabs relay only within one cache generation (see tabs.ts); without a cache, among
    // themselves. Started after the load, like every "update" listener (see attach).
    const isLocal = (origin: unknown) => origin !== this.provider && origin !== this.cache;
    this.relay = relayBetweenTabs(`junokit/${this.link.options.userId}/${this.name}`, this.doc, this.generation ?? "none", isLocal);
    this.relay.hello();
    if (this.link.options.screenOf) this.doc.on("update", this.onDocUpdate);
    this.attach();
    for (const fn of this.localWaiters.splice(0)) fn();
    // Settle the outbox mark even when nothing changed since the last session.
    const waiting = this.countWaiting();
    markWaiting(this.link.options.userId, this.name, waiting > 0 && this.deliverable());
    this.setWaiting(waiting);
  }

  /**
   * Attach only once the local copy is in the doc: the first sync then sends just what the
   * server lacks. Until now no "update" listener was on the document, so loading the cache
   * did not make Yjs re-encode it (a fifth of the load for a large conversation).
   */
  private attach(): void {
    if (this.closed || this.provider.isAttached) return;
    clearTimeout(this.attachTimer);
    this.ack.start();
    this.doc.on("update", this.provider.boundDocumentUpdateHandler);
    this.provider.attach();
  }

  private deliverable(): boolean {
    const { refused, scope } = this.state.get();
    return !refused && scope !== "readonly";
  }

  private scheduleWaiting(): void {
    if (this.waitingScheduled) return;
    this.waitingScheduled = true;
    queueMicrotask(() => {
      this.waitingScheduled = false;
      if (!this.closed && this.state.get().local) this.setWaiting(this.countWaiting());
    });
  }

  private countWaiting(): number {
    if (!this.ack.hasUnacknowledged()) return 0;
    if (!this.isConversation) return 1;
    let messages = 0;
    messageList(this.doc).forEach((map) => {
      if (!this.ack.isAcknowledged(map)) messages += 1;
    });
    return Math.max(1, messages);
  }

  private setWaiting(waiting: number): void {
    const deliverable = this.deliverable();
    const was = this.state.get().waiting;
    if (waiting !== was) {
      this.patch({ waiting });
      if ((was > 0) !== (waiting > 0)) markWaiting(this.link.options.userId, this.name, waiting > 0 && deliverable);
      this.link.changed();
    }
    if (waiting > 0 && deliverable) this.hold();
    else this.unhold();
  }

  private unhold(): void {
    if (!this.held) return;
    this.held = false;
    if (!this.deliverable()) markWaiting(this.link.options.userId, this.name, false);
    this.link.release(this);
  }

  private readonly onDocUpdate = (): void => {
    if (!this.state.get().local || this.screenTimer) return;
    this.screenTimer = setTimeout(() => {
      this.screenTimer = null;
      this.keepScreen();
    }, SCREEN_DELAY_MS);
  };

  private keepScreen(): void {
    const screen = this.link.options.screenOf?.(this.name, this.doc);
    if (screen != null) keepScreen(this.link.options.userId, this.name, screen);
  }
}

/**
 * Resolves once what was just rendered is on the screen, at most after `timeoutMs`. A second
 * animation frame is not proof: on a busy machine the frame is rasterised later, and a long
 * task started meanwhile (loading a large document) would keep the screen blank. Where the
 * browser reports Element Timing (messages carry `elementtiming`), that report is the proof.
 */
function afterPresented(timeoutMs: number): Promise<void> {
  // A hidden tab paints nothing until it is shown.
  if (typeof document !== "undefined" && document.visibilityState === "hidden") return Promise.resolve();
  return new Promise((resolve) => {
    const since = performance.now();
    let observer: PerformanceObserver | null = null;
    const finish = () => {
      observer?.disconnect();
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(finish, timeoutMs);
    if (typeof PerformanceObserver !== "undefined" && PerformanceObserver.supportedEntryTypes?.includes("element")) {
      observer = new PerformanceObserver((list) => {
        if (list.getEntries().some((e) => e.startTime >= since)) finish();
      });
      observer.observe({ type: "element", buffered: true });
    } else if (typeof requestAnimationFrame === "function") {
      requestAnimationFrame(() => requestAnimationFrame(finish));
    }
  });
}
