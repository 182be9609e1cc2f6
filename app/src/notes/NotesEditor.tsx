// The notes editor, loaded with import() when the notes panel opens (it is most of the
// panel's weight): Tiptap on the conversation's `notes` fragment, everyone's carets, a focused
// toolbar, and the AI: ask on a selection or at the caret, watch it write, stop it, undo it.
import {
  AI_AUTHOR_ID, NOTES_FIELD, SELECTION_KINDS, colorFor, findNoteEdit, readNoteEdits, requestNoteEdit, requestNoteEditStop,
  undoNoteRun, type NoteEdit, type NoteEditKind,
} from "@junokit/doc-model";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import { Placeholder } from "@tiptap/extensions";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { absolutePositionToRelativePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import { nanoid } from "nanoid";
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore, type FormEvent } from "react";
import type * as Y from "yjs";
import type { User } from "../api";
import type { DocumentHandle } from "../connection";
import { AiRunBlocks, AiRunMark, NotesCodeBlock } from "./extensions";
import { hexColor } from "./color";
import "./notes.css";

export interface NotesEditorProps {
  handle: DocumentHandle;
  user: User;
  /** False for viewers (and read-only connections): the notes are shown, not edited. */
  editable: boolean;
}

const KIND_LABEL: Record<NoteEditKind, string> = {
  rewrite: "Rewrite",
  shorten: "Shorten",
  expand: "Expand",
  "fix-grammar": "Fix grammar",
  translate: "Translate",
  continue: "Continue writing",
  "notes-from-chat": "Turn the conversation into notes",
  "action-items": "Extract action items",
};

export default function NotesEditor({ handle, user, editable }: NotesEditorProps) {
  const name = user.displayName || user.username;
  // y-prosemirror draws carets only in #rrggbb; the same colour as everywhere else, in hex.
  const caretUser = useMemo(() => ({ id: user.id, name, color: hexColor(colorFor(user.id)), kind: "human" as const }), [user.id, name]);
  const editor = useEditor(
    {
      extensions: [
        // No trailing node: every open editor would add its own empty paragraph after the AI's
        // (or anyone's) list at the end, concurrently, and they would all stay.
        StarterKit.configure({ undoRedo: false, codeBlock: false, trailingNode: false, link: { openOnClick: false, autolink: true, defaultProtocol: "https" } }),
        NotesCodeBlock,
        TaskList,
        TaskItem.configure({ nested: true }),
        AiRunMark,
        AiRunBlocks,
        Placeholder.configure({ placeholder: editable ? "Shared notes: type, or use # - [ ] ``` for structure…" : "No notes yet." }),
        Collaboration.configure({ document: handle.doc, field: NOTES_FIELD }),
        CollaborationCaret.configure({ provider: handle.provider, user: caretUser, render: renderCaret }),
      ],
      editable,
      immediatelyRender: true,
      editorProps: { attributes: { class: "notes__doc", "aria-label": "Shared notes", spellcheck: "true" } },
    },
    [handle.doc, handle.provider],
  );
  useEffect(() => {
    if (editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);
  const edits = useNoteEdits(handle.doc);
  const [focusRun, setFocusRun] = useState<string | null>(null);
  const [highlight, setHighlight] = useState(true);

  return (
    <div className={`notes${highlight ? " notes--highlight" : ""}`} data-editable={editable ? "true" : "false"}>
      {focusRun && <style>{`.notes [data-run="${CSS.escape(focusRun)}"] { outline: 2px solid var(--ai-run-focus); background: var(--ai-run-focus-bg); }`}</style>}
      {editable ? <Toolbar editor={editor} /> : <p className="notes__readonly" role="note">You can read these notes; viewers can't edit them.</p>}
      {editable && <AskAi editor={editor} doc={handle.doc} user={{ id: user.id, name }} />}
      <div className="notes__body" onMouseOver={(e) => describeRun(e.target, edits)}>
        <EditorContent editor={editor} />
      </div>
      <RunList edits={edits} editable={editable} highlight={highlight} onHighlight={setHighlight} onFocus={setFocusRun}
        onStop={(id) => {
          const map = findNoteEdit(handle.doc, id);
          if (map) requestNoteEditStop(map);
        }}
        onUndo={(id) => undoNoteRun(handle.doc, id, user.id)}
      />
    </div>
  );
}

/** A caret with its person's name; the AI's says so. Colours may be any CSS colour. */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const ai = user.kind === "ai" || user.id === AI_AUTHOR_ID;
  const caret = document.createElement("span");
  caret.className = `collaboration-carets__caret${ai ? " collaboration-carets__caret--ai" : ""}`;
  caret.style.borderColor = String(user.color);
  const label = document.createElement("div");
  label.className = "collaboration-carets__label";
  label.style.backgroundColor = String(user.color);
  label.textContent = ai ? `${String(user.name)} (AI)` : String(user.name);
  caret.append(label);
  return caret;
}

/** Hovering AI text says who wrote it and who asked. */
function describeRun(target: EventTarget, edits: NoteEdit[]): void {
  const span = target instanceof HTMLElement ? target.closest<HTMLElement>("[data-run]") : null;
  if (!span || span.title) return;
  const edit = edits.find((e) => e.id === span.dataset.run);
  span.title = `Written by the AI (${span.dataset.persona || "AI"})${edit ? ` for ${edit.requestedByName}: ${KIND_LABEL[edit.kind]}` : ""}`;
}

function useNoteEdits(doc: Y.Doc): NoteEdit[] {
  const subscribe = useCallback((onChange: () => void) => {
    doc.on("update", onChange);
    return () => doc.off("update", onChange);
  }, [doc]);
  const snapshot = useMemo(() => {
    let last: NoteEdit[] = [];
    let key = "";
    return () => {
      const next = readNoteEdits(doc);
      const nextKey = JSON.stringify(next);
      if (nextKey !== key) {
        key = nextKey;
        last = next;
      }
      return last;
    };
  }, [doc]);
  return useSyncExternalStore(subscribe, snapshot);
}

function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      h1: e.isActive("heading", { level: 1 }),
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      code: e.isActive("code"),
      bullet: e.isActive("bulletList"),
      ordered: e.isActive("orderedList"),
      task: e.isActive("taskList"),
      codeBlock: e.isActive("codeBlock"),
      quote: e.isActive("blockquote"),
      link: e.isActive("link"),
    }),
  });
  const chain = () => editor.chain().focus();
  const buttons: { label: string; title: string; active: boolean; run(): void }[] = [
    { label: "H1", title: "Heading 1 (# )", active: state.h1, run: () => chain().toggleHeading({ level: 1 }).run() },
    { label: "H2", title: "Heading 2 (## )", active: state.h2, run: () => chain().toggleHeading({ level: 2 }).run() },
    { label: "H3", title: "Heading 3 (### )", active: state.h3, run: () => chain().toggleHeading({ level: 3 }).run() },
    { label: "B", title: "Bold (**text**)", active: state.bold, run: () => chain().toggleBold().run() },
    { label: "I", title: "Italic (*text*)", active: state.italic, run: () => chain().toggleItalic().run() },
    { label: "•", title: "Bullet list (- )", active: state.bullet, run: () => chain().toggleBulletList().run() },
    { label: "1.", title: "Numbered list (1. )", active: state.ordered, run: () => chain().toggleOrderedList().run() },
    { label: "☐", title: "Task list ([ ] )", active: state.task, run: () => chain().toggleTaskList().run() },
    { label: "</>", title: "Code block (```)", active: state.codeBlock, run: () => chain().toggleCodeBlock().run() },
    { label: "❝", title: "Quote (> )", active: state.quote, run: () => chain().toggleBlockquote().run() },
  ];
  const [linking, setLinking] = useState<string | null>(null);
  return (
    <div className="notes__toolbar" role="toolbar" aria-label="Formatting">
      {buttons.map((b) => (
        <button key={b.title} type="button" className={`notes__tool${b.active ? " notes__tool--on" : ""}`} title={b.title} aria-label={b.title} aria-pressed={b.active}
          onMouseDown={(e) => e.preventDefault()} onClick={b.run}>
          {b.label}
        </button>
      ))}
      {linking === null ? (
        <button type="button" className={`notes__tool${state.link ? " notes__tool--on" : ""}`} title="Link" aria-label="Link" aria-pressed={state.link}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => (state.link ? chain().unsetLink().run() : setLinking(String(editor.getAttributes("link").href ?? "https://")))}>
          Link
        </button>
      ) : (
        <form className="notes__link" onSubmit={(e) => {
          e.preventDefault();
          const href = linking.trim();
          if (href) chain().extendMarkRange("link").setLink({ href }).run();
          setLinking(null);
        }}>
          <input aria-label="Link address" value={linking} autoFocus onChange={(e) => setLinking(e.target.value)} onKeyDown={(e) => e.key === "Escape" && setLinking(null)} />
          <button type="submit" className="button button--small">Set</button>
        </form>
      )}
    </div>
  );
}

/** Asks the AI on the selection or at the caret; the chat kinds append at the caret or the end. */
function AskAi({ editor, doc, user }: { editor: Editor; doc: Y.Doc; user: { id: string; name: string } }) {
  const hasSelection = useEditorState({ editor, selector: ({ editor: e }) => !e.state.selection.empty });
  const [kind, setKind] = useState<NoteEditKind>("rewrite");
  const [instruction, setInstruction] = useState("");
  const needsSelection = SELECTION_KINDS.includes(kind);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const anchor = anchorOf(editor, kind);
    if (needsSelection && !anchor) return;
    requestNoteEdit(doc, {
      id: nanoid(16), kind, instruction: kind === "translate" && !instruction.trim() ? "into English" : instruction.trim(),
      requestedBy: user.id, requestedByName: user.name, createdAt: Date.now(), ...(anchor ? { anchor } : {}),
    });
    setInstruction("");
  };
  return (
    <form className="notes__ask" onSubmit={submit} aria-label="Ask the AI">
      <select aria-label="What the AI should do" value={kind} onChange={(e) => setKind(e.target.value as NoteEditKind)}>
        <optgroup label="On the selection">
          {SELECTION_KINDS.map((k) => <option key={k} value={k}>{KIND_LABEL[k]}</option>)}
        </optgroup>
        <optgroup label="At the caret">
          <option value="continue">{KIND_LABEL.continue}</option>
        </optgroup>
        <optgroup label="From the chat">
          <option value="notes-from-chat">{KIND_LABEL["notes-from-chat"]}</option>
          <option value="action-items">{KIND_LABEL["action-items"]}</option>
        </optgroup>
      </select>
      <input aria-label="Instructions for the AI (optional)" placeholder={kind === "translate" ? "into English" : "optional: how?"} value={instruction} onChange={(e) => setInstruction(e.target.value)} />
      <button type="submit" className="button button--small button--primary" disabled={needsSelection && !hasSelection} title={needsSelection && !hasSelection ? "Select some text first" : undefined}
        onMouseDown={(e) => e.preventDefault()}>
        Ask AI
      </button>
    </form>
  );
}

/**
 * The selection (or caret) as Yjs relative positions in the notes, the way y-prosemirror
 * makes them; null for chat kinds when the editor has no focus (the AI then appends).
 */
function anchorOf(editor: Editor, kind: NoteEditKind) {
  const sync = ySyncPluginKey.getState(editor.state) as { type: Y.XmlFragment; binding: { mapping: Map<unknown, unknown> } } | undefined;
  if (!sync?.binding) return null;
  const { from, to, empty } = editor.state.selection;
  if (SELECTION_KINDS.includes(kind) && empty) return null;
  if ((kind === "notes-from-chat" || kind === "action-items") && !editor.isFocused) return null;
  return {
    from: absolutePositionToRelativePosition(from, sync.type, sync.binding.mapping as never),
    to: absolutePositionToRelativePosition(to, sync.type, sync.binding.mapping as never),
  };
}

function RunList({ edits, editable, highlight, onHighlight, onFocus, onStop, onUndo }: {
  edits: NoteEdit[];
  editable: boolean;
  highlight: boolean;
  onHighlight(on: boolean): void;
  onFocus(id: string | null): void;
  onStop(id: string): void;
  onUndo(id: string): void;
}) {
  if (edits.length === 0) return null;
  return (
    <section className="notes__runs" aria-label="AI edits">
      <header>
        <span>AI edits</span>
        <label className="notes__highlight">
          <input type="checkbox" checked={highlight} onChange={(e) => onHighlight(e.target.checked)} /> Highlight AI text
        </label>
      </header>
      <ul>
        {[...edits].reverse().map((e) => (
          <li key={e.id} className={`notes__run notes__run--${e.undone ? "undone" : e.status}`} data-run-id={e.id} onMouseEnter={() => onFocus(e.id)} onMouseLeave={() => onFocus(null)}>
            <span className="notes__run-what">{KIND_LABEL[e.kind]}{e.instruction ? ` (${e.instruction})` : ""}</span>
            <span className="notes__run-who">asked by {e.requestedByName}{e.persona ? ` · ${e.persona}` : ""}</span>
            <span className="notes__run-status">{runStatus(e)}</span>
            {editable && (e.status === "pending" || e.status === "streaming") && (
              <button type="button" className="button button--small" onClick={() => onStop(e.id)}>Stop</button>
            )}
            {editable && !e.undone && (e.status === "done" || e.status === "stopped") && (
              <button type="button" className="button button--small" onClick={() => onUndo(e.id)} title="Removes exactly this run's text, for everyone">Undo this AI run</button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function runStatus(e: NoteEdit): string {
  if (e.undone) return "undone";
  if (e.status === "error") return `failed: ${e.error ?? "unknown error"} (the notes were left as they were)`;
  return { pending: "waiting…", streaming: "writing…", done: "done", stopped: "stopped" }[e.status];
}
