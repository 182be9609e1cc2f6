import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { EXPORT_FORMATS } from "./files";
import { conversationExportPath } from "./transfer-api";
import { fileBase, useExport } from "./useExport";

interface Props {
  workspaceId: string;
  conversationId: string;
  title: string;
}

/** The conversation header's export menu: Markdown, JSON or the Yjs update, as a download. */
export function ExportMenu({ workspaceId, conversationId, title }: Props) {
  const [open, setOpen] = useState(false);
  const exporting = useExport();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    list.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  function onMenuKey(event: KeyboardEvent<HTMLDivElement>) {
    const items = [...(list.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const focus = (i: number) => items[(i + items.length) % items.length]?.focus();
    if (event.key === "ArrowDown") focus(at + 1);
    else if (event.key === "ArrowUp") focus(at - 1);
    else if (event.key === "Home") focus(0);
    else if (event.key === "End") focus(items.length - 1);
    else if (event.key === "Escape" || event.key === "Tab") {
      setOpen(false);
      if (event.key === "Tab") return;
      button.current?.focus();
    } else return;
    event.preventDefault();
    event.stopPropagation();
  }

  return (
    <div className="export-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="button button--small export-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label="Export conversation"
        title="Export this conversation"
        disabled={exporting.busy}
        onClick={() => setOpen((o) => !o)}
      >
        <svg className="icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 4v11M7.5 10.5 12 15l4.5-4.5M5 19h14" />
        </svg>
        <span className="export-menu__label">{exporting.busy ? "Exporting…" : "Export"}</span>
      </button>
      {open && (
        <div className="export-menu__list" role="menu" aria-label="Export as" ref={list} onKeyDown={onMenuKey}>
          {EXPORT_FORMATS.map((f) => (
            <button
              key={f.format}
              type="button"
              role="menuitem"
              className="export-menu__item"
              onClick={() => {
                setOpen(false);
                void exporting.run(conversationExportPath(workspaceId, conversationId, f.format), `${fileBase(title, "conversation")}.${f.extension}`);
              }}
            >
              <span>{f.label}</span>
              <span className="muted small">.{f.extension}</span>
            </button>
          ))}
        </div>
      )}
      {exporting.error && (
        <div className="export-menu__error" role="alert">
          <span>Export failed: {exporting.error}</span>
          <button type="button" className="button button--small" onClick={exporting.clear}>
            OK
          </button>
        </div>
      )}
    </div>
  );
}
