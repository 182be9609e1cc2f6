// Search in the browser: the Ctrl/Cmd+K palette over the current workspace (server-side
// ranking, SPEC SRCH-*), and jumping to a found message with a brief highlight.
export { SearchPalette } from "./SearchPalette";
export { revealMessage } from "./reveal";
export { searchWorkspace, snippetParts, MAX_QUERY_CHARS, type SearchHit } from "./search-api";
