import { lazy, Suspense } from "react";
import type { User } from "../api";
import { useDocumentState, type DocumentHandle } from "../connection";
import "./notes-layout.css";

// The editor (Tiptap, ProseMirror, lowlight) is its own chunk, fetched when notes open.
const NotesEditor = lazy(() => import("./NotesEditor"));

interface Props {
  handle: DocumentHandle;
  user: User;
  /** False for viewers. */
  canWrite: boolean;
  onClose(): void;
}

/** The notes beside the chat: shared live, editable by editors, read-only for viewers. */
export function NotesPanel({ handle, user, canWrite, onClose }: Props) {
  const state = useDocumentState(handle);
  const editable = canWrite && state.scope !== "readonly";
  return (
    <aside className="notes-panel" aria-label="Notes">
      <header className="notes-panel__header">
        <h2>Notes</h2>
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label="Close notes" onClick={onClose}>
          ✕
        </button>
      </header>
      <Suspense fallback={<p className="muted center">Loading the notes editor…</p>}>
        <NotesEditor key={handle.name} handle={handle} user={user} editable={editable} />
      </Suspense>
    </aside>
  );
}

/** The header button that shows or hides the notes. */
export function NotesToggle({ open, onToggle }: { open: boolean; onToggle(): void }) {
  return (
    <button type="button" className={`button button--small notes-toggle${open ? " button--pressed" : ""}`} aria-pressed={open} onClick={onToggle} title="Notes">
      <svg className="icon" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M6 3.5h9l4 4v13H6z" />
        <path d="M9 11h7M9 14.5h7M9 18h4" />
      </svg>
      <span className="notes-toggle__label">Notes</span>
    </button>
  );
}
