// Search in the browser: the Ctrl/Cmd+K palette over the current workspace (server-side
// ranking, SPEC SRCH-*; this device's cached conversations when offline, SRCH-7), and jumping
// to a found message, however far up, with a brief highlight (SRCH-8).
export { SearchPalette } from "./SearchPalette";
export { searchWorkspace, snippetParts, MAX_QUERY_CHARS, type SearchHit } from "./search-api";
