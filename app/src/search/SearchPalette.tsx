import { useEffect, useRef, useState } from "react";
import { describeError } from "../api";
import { sessionStore } from "../auth";
import { navigate } from "../shell/route";
import { revealMessage } from "./reveal";
import { MAX_QUERY_CHARS, searchWorkspace, snippetParts, type SearchHit } from "./search-api";
import "./search.css";

const DEBOUNCE_MS = 150;
const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

interface Props {
  workspaceId: string;
  workspaceName?: string | undefined;
  /** Called after a hit was opened (closes the phone drawer). */
  onOpened?(): void;
}

/** The sidebar's search button and the Ctrl/Cmd+K palette over the current workspace. */
export function SearchPalette({ workspaceId, workspaceName, onOpened }: Props) {
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

type Result = { query: string; hits: SearchHit[] } | { query: string; error: string };

function Palette({ workspaceId, workspaceName, onClose, onPick }: { workspaceId: string; workspaceName?: string | undefined; onClose(): void; onPick(hit: SearchHit): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState("");
  const [result, setResult] = useState<Result | null>(null);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResult(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      searchWorkspace(sessionStore.get()?.token ?? null, workspaceId, q, controller.signal).then(
        (hits) => {
          setResult({ query: q, hits });
          setActive(0);
        },
        (err: unknown) => {
          if ((err as Error).name !== "AbortError") setResult({ query: q, error: describeError(err) });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, workspaceId]);

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
          {result && "error" in result && <span className="search-palette__error">{result.error}</span>}
          {result && "hits" in result && result.hits.length === 0 && <span className="muted">Nothing matches “{result.query}”.</span>}
          {!result && <span className="muted">Messages, notes and titles; typos and word beginnings are fine.</span>}
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

function describe(hit: SearchHit): string {
  if (hit.kind === "notes") return "in the notes";
  if (hit.kind === "title") return "title";
  const when = hit.createdAt ? new Date(hit.createdAt).toLocaleDateString(undefined, { month: "short", day: "numeric" }) : "";
  return [hit.authorName, when].filter(Boolean).join(" · ");
}
