// Markdown to safe HTML. Two layers: marked never passes raw HTML through (it is shown as
// text) and only emits links and placeholders we build; DOMPurify then removes anything
// executable that could still slip through. Remote images are never fetched by rendering:
// they become a button the reader clicks to load them.
import DOMPurify from "dompurify";
import { Marked, type Tokens } from "marked";

/** Turns code into highlighted HTML (spans with classes); loaded lazily, see highlight.ts. */
export type Highlighter = (code: string, language: string | undefined) => string;

const SAFE_LINK = /^(https?:|mailto:)/i;
const REMOTE_IMAGE = /^https?:\/\//i;

const ALLOWED_TAGS = [
  "a", "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
  "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "input", "span", "button",
];
const ALLOWED_ATTR = ["href", "title", "class", "target", "rel", "type", "checked", "disabled", "start", "align", "aria-label"];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function createMarked(highlight: Highlighter | null): Marked {
  return new Marked({
    gfm: true,
    breaks: true,
    renderer: {
      // Raw HTML in a message is shown as the text the author typed.
      html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
      code: ({ text, lang }: Tokens.Code) => codeBlock(text, lang, highlight),
      image: ({ href, text }: Tokens.Image) => imagePlaceholder(href, text),
      link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, { href, title, tokens }: Tokens.Link) {
        const label = this.parser.parseInline(tokens);
        if (!SAFE_LINK.test(href.trim())) return `<span class="md-unsafe-link" title="Link removed: only web and mail links are allowed">${label}</span>`;
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : "";
        return `<a href="${escapeHtml(href.trim())}"${titleAttr}>${label}</a>`;
      },
    },
  });
}

function codeBlock(text: string, lang: string | undefined, highlight: Highlighter | null): string {
  const language = (lang ?? "").trim().split(/\s+/)[0]?.replace(/[^\w+#.-]/g, "") || undefined;
  const body = highlight ? highlight(text, language) : escapeHtml(text);
  const label = language ? `<span class="md-code__lang">${escapeHtml(language)}</span>` : "";
  return (
    `<pre class="md-code">${label}<button type="button" class="md-code__copy" aria-label="Copy code">Copy</button>` +
    `<code class="hljs${language ? ` language-${escapeHtml(language)}` : ""}">${body}</code></pre>\n`
  );
}

function imagePlaceholder(href: string, alt: string): string {
  const label = escapeHtml(alt || "image");
  if (!REMOTE_IMAGE.test(href.trim())) return `<span class="md-image-blocked">[${label}]</span>`;
  const url = escapeHtml(href.trim());
  let host = "";
  try {
    host = new URL(href.trim()).host;
  } catch {
    return `<span class="md-image-blocked">[${label}]</span>`;
  }
  return (
    `<span class="md-remote-image"><button type="button" class="md-remote-image__load" data-remote-src="${url}" ` +
    `aria-label="Load image ${label} from ${escapeHtml(host)}">Load image</button> ` +
    `<a href="${url}">${label}</a> <span class="md-remote-image__host">${escapeHtml(host)}</span></span>`
  );
}

let hooksInstalled = false;
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Links open in a new tab and never hand the opener or referrer to the target.
  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    if (node.nodeName === "A") {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer nofollow");
    }
    if (node.nodeName === "INPUT") node.setAttribute("disabled", "");
  });
}

const markedPlain = createMarked(null);
let markedHighlighted: { highlight: Highlighter; marked: Marked } | null = null;

// The same messages are rendered again and again (a conversation's kept first screen, then
// the live list; switching back to a conversation), so recent results are kept.
const RENDERED_KEEP = 400;
const RENDERED_MAX_SOURCE = 20_000;
const rendered = new Map<string, string>();

/**
 * Names this build's renderer (the URL of the module, content-hashed in a build): HTML that
 * another build rendered is never reused, its sanitiser may have been different.
 */
export const RENDERER = import.meta.url;

/**
 * HTML this renderer made earlier for `source` (without highlighting), e.g. kept with a
 * conversation's first screen: painting that screen then needs no parsing or sanitising.
 * The HTML comes from this origin's own storage, which only this app's code can write.
 */
export function rememberRendered(source: string, html: string): void {
  const key = `p${source}`;
  if (rendered.has(key) || source.length > RENDERED_MAX_SOURCE) return;
  rendered.set(key, html);
  if (rendered.size > RENDERED_KEEP) rendered.delete(rendered.keys().next().value!);
}

/** Markdown source to sanitised HTML, ready for innerHTML. */
export function renderMarkdown(source: string, highlight: Highlighter | null = null): string {
  const key = `${highlight ? "h" : "p"}${source}`;
  const known = rendered.get(key);
  if (known !== undefined) {
    rendered.delete(key);
    rendered.set(key, known);
    return known;
  }
  const html = renderUncached(source, highlight);
  if (source.length <= RENDERED_MAX_SOURCE) {
    rendered.set(key, html);
    if (rendered.size > RENDERED_KEEP) rendered.delete(rendered.keys().next().value!);
  }
  return html;
}

function renderUncached(source: string, highlight: Highlighter | null): string {
  installHooks();
  let marked = markedPlain;
  if (highlight) {
    if (markedHighlighted?.highlight !== highlight) markedHighlighted = { highlight, marked: createMarked(highlight) };
    marked = markedHighlighted.marked;
  }
  const html = marked.parse(source, { async: false });
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: true,
    FORBID_TAGS: ["img", "style", "script", "iframe", "object", "embed", "form", "svg", "math"],
  });
}

/** Whether the source has fenced code, so the highlighter is worth loading. */
export function hasCodeBlock(source: string): boolean {
  return /(^|\n) {0,3}(```|~~~)/.test(source);
}

/** A remote image URL is loaded only after this check, when the reader asks for it. */
export function loadableImageUrl(value: string | null | undefined): string | null {
  if (!value || !REMOTE_IMAGE.test(value)) return null;
  try {
    return new URL(value).href;
  } catch {
    return null;
  }
}
