import { memo, useMemo, useSyncExternalStore, type MouseEvent } from "react";
import { hasCodeBlock, loadableImageUrl, renderMarkdown, type Highlighter } from "./render";

// The highlighter arrives once, lazily; every Markdown view re-renders when it does.
let highlighter: Highlighter | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

function loadHighlighter(): void {
  loading ??= import("./highlight")
    .then((m) => {
      highlighter = m.highlight;
      for (const l of listeners) l();
    })
    .catch(() => {
      // Plain code blocks are still readable; try again on the next render.
      loading = null;
    });
}

function useHighlighter(wanted: boolean): Highlighter | null {
  const current = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => highlighter,
  );
  if (wanted && !current) loadHighlighter();
  return wanted ? current : null;
}

/** Renders a message's Markdown source as sanitised HTML. */
export const Markdown = memo(function Markdown({ source, className }: { source: string; className?: string }) {
  const highlight = useHighlighter(hasCodeBlock(source));
  const html = useMemo(() => renderMarkdown(source, highlight), [source, highlight]);
  return <div className={className ? `md ${className}` : "md"} onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
});

function onClick(event: MouseEvent<HTMLDivElement>): void {
  const target = event.target as HTMLElement;
  const load = target.closest<HTMLButtonElement>(".md-remote-image__load");
  if (load) return loadRemoteImage(load);
  const copy = target.closest<HTMLButtonElement>(".md-code__copy");
  if (copy) void copyCode(copy);
}

/** The reader asked for this image: only now does the browser contact its host. */
function loadRemoteImage(button: HTMLButtonElement): void {
  const url = loadableImageUrl(button.dataset.remoteSrc);
  const holder = button.closest(".md-remote-image");
  if (!url || !holder) return;
  const img = document.createElement("img");
  img.src = url;
  img.alt = holder.querySelector("a")?.textContent ?? "";
  img.referrerPolicy = "no-referrer";
  img.loading = "lazy";
  img.className = "md-image";
  holder.replaceChildren(img);
}

async function copyCode(button: HTMLButtonElement): Promise<void> {
  const code = button.closest("pre")?.querySelector("code")?.textContent ?? "";
  try {
    await navigator.clipboard.writeText(code);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Copy failed";
  }
  setTimeout(() => (button.textContent = "Copy"), 1500);
}
