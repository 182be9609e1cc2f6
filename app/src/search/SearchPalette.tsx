import type { IndexEntry } from "@junokit/doc-model";
import { useEffect, useRef, useState } from "react";
import { ApiError, describeError } from "../api";
import { sessionStore } from "../auth";
import { searchDevice, type DeviceSearchResult, type DeviceSearchStatus } from "../offline-search";
import { revealMessage } from "../conversation";
import { navigate } from "../route";
import { MAX_QUERY_CHARS, searchWorkspace, snippetParts, type SearchHit } from "./search-api";
import "./search.css";

const DEBOUNCE_MS = 150;
const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

interface Props {
  workspaceId: string;
  workspaceName?: string | undefined;
  userId: string;
  /** The workspace's conversations (the sidebar's list): what offline search looks for on this device. */
  conversations: readonly IndexEntry[];
  /** Called after a hit was opened (closes the phone drawer). */
  onOpened?(): void;
}

/** The sidebar's search button and the Ctrl/Cmd+K palette over the current workspace. */
export function SearchPalette({ workspaceId, workspaceName, userId, conversations, onOpened }: Props) {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <>
      <button type="button" className="search-launcher" onClick={() => setOpen(true)} aria-keyshortcuts={isMac ? "Meta+K" : "Control+K"}>
        <svg className="icon" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="10.5" cy="10.5" r="6" />
          <path d="M15 15l5 5" />
        </svg>
        <span>Search</span>
        <kbd>{isMac ? "⌘K" : "Ctrl K"}</kbd>
      </button>
      {open && (
        <Palette
          workspaceId={workspaceId}
          workspaceName={workspaceName}
          userId={userId}
          conversations={conversations}
          onClose={() => setOpen(false)}
          onPick={(hit) => {
            setOpen(false);
            navigate({ workspaceId, conversationId: hit.conversationId });
            if (hit.messageId) revealMessage(hit.messageId);
            onOpened?.();
          }}
        />
      )}
    </>
  );
}

/** Hits from the server, or from this device's cached conversations (`device`, SPEC SRCH-7). */
type Result = { query: string; hits: SearchHit[]; device?: DeviceSearchResult } | { query: string; error: string };

interface PaletteProps extends Omit<Props, "onOpened"> {
  onClose(): void;
  onPick(hit: SearchHit): void;
}

function Palette({ workspaceId, workspaceName, userId, conversations, onClose, onPick }: PaletteProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState("");
  const [result, setResult] = useState<Result | null>(null);
  const [reading, setReading] = useState<DeviceSearchStatus | null>(null);
  const [active, setActive] = useState(0);
  const online = useOnline();
  // The list changes as conversations do; a search uses the latest without starting again.
  const list = useRef(conversations);
  list.current = conversations;

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);

  // Offline, start reading this device's copies while the person types.
  useEffect(() => {
    if (!navigator.onLine) searchDevice({ userId, workspaceId, conversations: list.current, query: "" }).catch(() => undefined);
  }, [userId, workspaceId]);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResult(null);
      setReading(null);
      return;
    }
    const controller = new AbortController();
    const current = () => !controller.signal.aborted;
    // Offline, or the server can't be reached: search the conversations kept on this device.
    const onDevice = () =>
      searchDevice({ userId, workspaceId, conversations: list.current, query: q }, (status) => current() && setReading(status)).then(
        (device): Result => ({ query: q, hits: device.hits, device }),
      );
    const timer = setTimeout(() => {
      const search: Promise<Result> = !navigator.onLine
        ? onDevice()
        : searchWorkspace(sessionStore.get()?.token ?? null, workspaceId, q, controller.signal).then(
            (hits): Result => ({ query: q, hits }),
            (err: unknown) => (err instanceof ApiError && err.code === "network" ? onDevice() : Promise.reject(err)),
          );
      search.then(
        (found) => {
          if (!current()) return;
          setResult(found);
          setReading(null);
          setActive(0);
        },
        (err: unknown) => {
          if (!current() || (err as Error).name === "AbortError") return;
          setResult({ query: q, error: describeError(err) });
          setReading(null);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, workspaceId, userId]);

  const hits = result && "hits" in result ? result.hits : [];
  const pick = (i: number) => {
    const hit = hits[i];
    if (hit) onPick(hit);
  };

  return (
    <dialog
      ref={dialog}
      className="dialog search-palette"
      aria-label="Search"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="search-palette__body">
        <input
          className="search-palette__input"
          type="text"
          role="combobox"
          aria-label="Search messages and notes"
          aria-expanded={hits.length > 0}
          aria-controls="search-results"
          aria-activedescendant={hits.length ? `search-hit-${active}` : undefined}
          placeholder={`Search ${workspaceName ? `in ${workspaceName}` : "this workspace"}…`}
          maxLength={MAX_QUERY_CHARS}
          autoFocus
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown" || e.key === "ArrowUp") {
              e.preventDefault();
              const step = e.key === "ArrowDown" ? 1 : -1;
              setActive((a) => (hits.length ? (a + step + hits.length) % hits.length : 0));
            } else if (e.key === "Enter") {
              e.preventDefault();
              pick(active);
            } else if (e.key === "Escape") {
              e.preventDefault();
              onClose();
            }
          }}
        />
        <div className="search-palette__status" aria-live="polite">
          {reading && <DeviceReading status={reading} online={online} />}
          {!reading && result && "device" in result && result.device && <DeviceScope result={result.device} online={online} />}
          {result && "error" in result && <span className="search-palette__error">{result.error}</span>}
          {result && "hits" in result && result.hits.length === 0 && <span className="muted">Nothing matches “{result.query}”.</span>}
          {!result && !reading && (
            <span className="muted">
              {online ? "Messages, notes and titles; typos and word beginnings are fine." : "Offline: searches the conversations kept on this device."}
            </span>
          )}
        </div>
        <ul id="search-results" className="search-palette__hits" role="listbox" aria-label="Results">
          {hits.map((hit, i) => (
            <li
              key={`${hit.conversationId}/${hit.kind}/${hit.messageId ?? ""}`}
              id={`search-hit-${i}`}
              role="option"
              aria-selected={i === active}
              className={`search-hit${i === active ? " search-hit--active" : ""}`}
              data-conversation-id={hit.conversationId}
              data-hit-message-id={hit.messageId}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(i)}
            >
              <div className="search-hit__head">
                <span className="search-hit__title">{hit.title || "Untitled"}</span>
                <span className="muted small">{describe(hit)}</span>
              </div>
              <div className="search-hit__snippet">
                {snippetParts(hit).map((part, j) => (part.match ? <mark key={j}>{part.text}</mark> : <span key={j}>{part.text}</span>))}
              </div>
            </li>
          ))}
        </ul>
      </div>
    </dialog>
  );
}

/** While this device's copies are read (the first offline search, or after changes). */
function DeviceReading({ status, online }: { status: DeviceSearchStatus; online: boolean }) {
  return (
    <p className="search-palette__device muted" data-search-source="device" data-reading="true">
      {why(online)} reading the conversations kept on this device… {status.read} of {status.total}
    </p>
  );
}

/**
 * Says that these results come from this device, and which conversations it could not search
 * (with its timings for the benchmark, bench/offline-search.ts).
 */
function DeviceScope({ result, online }: { result: DeviceSearchResult; online: boolean }) {
  const { status } = result;
  const count = (n: number) => `${n} conversation${n === 1 ? "" : "s"}`;
  return (
    <div
      className="search-palette__device"
      data-search-source="device"
      data-read-ms={status.readMs.toFixed(1)}
      data-search-ms={result.searchMs.toFixed(1)}
      data-indexed-chars={status.indexedChars}
    >
      <p>
        <strong>{why(online)}</strong> searched the {count(status.searched)} kept on this device, not the server.
      </p>
      {status.notCached.length > 0 && <p className="muted" data-not-cached={status.notCached.length}>Not on this device (never opened here): {titles(status.notCached)}.</p>}
      {status.leftOut.length > 0 && <p className="muted">Too much to search here: {titles(status.leftOut)}.</p>}
      {status.unreadable.length > 0 && <p className="muted">Couldn't be read from this device's storage: {titles(status.unreadable)}.</p>}
    </div>
  );
}

/** Offline, or online with a server that can't be reached (its search failed with a network error). */
const why = (online: boolean) => (online ? "The server can't be reached:" : "Offline:");

function titles(conversations: readonly { title: string }[], shown = 3): string {
  const names = conversations.slice(0, shown).map((c) => `“${c.title || "Untitled"}”`);
  const more = conversations.length - names.length;
  return more > 0 ? `${names.join(", ")} and ${more} more` : names.join(", ");
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return online;
}

function describe(hit: SearchHit): string {
  if (hit.kind === "notes") return "in the notes";
  if (hit.kind === "title") return "title";
  const when = hit.createdAt ? new Date(hit.createdAt).toLocaleDateString(undefined, { month: "short", day: "numeric" }) : "";
  return [hit.authorName, when].filter(Boolean).join(" · ");
}
