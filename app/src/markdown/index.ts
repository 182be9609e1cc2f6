// Message Markdown: GFM rendered to sanitised HTML (no raw HTML, no scripts, safe links,
// remote images only on click) with code highlighting that loads on demand.
export { Markdown } from "./Markdown";
export { renderMarkdown, hasCodeBlock, escapeHtml, loadableImageUrl, rememberRendered, RENDERER } from "./render";
export type { Highlighter } from "./render";
