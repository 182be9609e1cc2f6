// The sidebar shows the last message as one plain line; Markdown markers would only be noise.
export function plainPreview(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?(```|$)/g, " [code] ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "[image: $1]")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, "")
    .replace(/(^|\W)(\*\*|__|~~|`|\*|_)(?=\S)([^\n]*?\S)\2(?!\w)/g, "$1$3")
    .replace(/\s+/g, " ")
    .trim();
}
