import type { SearchHit } from "@junokit/doc-model";
import { ApiError, toApiError } from "../api";

export type { SearchHit };

/** The server refuses longer queries (SPEC SRCH-5); the palette never sends one. */
export const MAX_QUERY_CHARS = 256;

/** `GET /api/workspaces/:wid/search` (DESIGN.md §3). */
export async function searchWorkspace(token: string | null, workspaceId: string, query: string, signal?: AbortSignal): Promise<SearchHit[]> {
  const q = query.trim().slice(0, MAX_QUERY_CHARS);
  const url = `/api/workspaces/${encodeURIComponent(workspaceId)}/search?${new URLSearchParams({ q, limit: "20" })}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) }, ...(signal ? { signal } : {}) });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiError(0, "network", "Search needs the server, which can't be reached right now.");
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) throw toApiError(response.status, payload, Boolean(token));
  return (payload as { hits?: SearchHit[] } | null)?.hits ?? [];
}

/** The snippet cut into plain and highlighted pieces, for rendering without HTML. */
export function snippetParts(hit: Pick<SearchHit, "snippet" | "highlights">): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const [start, end] of [...hit.highlights].sort((a, b) => a[0] - b[0])) {
    if (start < at || end > hit.snippet.length || end <= start) continue;
    if (start > at) parts.push({ text: hit.snippet.slice(at, start), match: false });
    parts.push({ text: hit.snippet.slice(start, end), match: true });
    at = end;
  }
  if (at < hit.snippet.length) parts.push({ text: hit.snippet.slice(at), match: false });
  return parts;
}
