// Code highlighting, loaded with import() only when a message has fenced code: highlight.js
// is the largest piece of the renderer and most first screens don't need it.
import hljs from "highlight.js/lib/common";
import type { Highlighter } from "./render";

const MAX_AUTO_DETECT = 20_000;

export const highlight: Highlighter = (code, language) => {
  if (language && hljs.getLanguage(language)) return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  if (code.length > MAX_AUTO_DETECT) return escape(code);
  return hljs.highlightAuto(code).value;
};

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
