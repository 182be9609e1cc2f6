// What the page and the offline search's worker say to each other, and the worker's side of it
// (also run in the page itself where workers can't start).
import type { SearchHit } from "@junokit/doc-model";
import type { DeviceSearch, DeviceSearchStatus, RefreshRequest } from "./device-search";

export interface SearchRequest extends RefreshRequest {
  id: number;
  query: string;
  limit: number;
}

export type SearchReply =
  | { id: number; type: "progress"; status: DeviceSearchStatus }
  | { id: number; type: "result"; hits: SearchHit[]; status: DeviceSearchStatus; searchMs: number }
  | { id: number; type: "error"; message: string };

/** Refreshes the index from the cached copies (reporting progress), then searches it. */
export async function answer(search: DeviceSearch, request: SearchRequest, reply: (r: SearchReply) => void): Promise<void> {
  try {
    const status = await search.refresh(request, (s) => reply({ id: request.id, type: "progress", status: s }));
    const began = performance.now();
    const hits = await search.search(request.query, request.limit);
    reply({ id: request.id, type: "result", hits, status, searchMs: performance.now() - began });
  } catch (error) {
    reply({ id: request.id, type: "error", message: error instanceof Error ? error.message : String(error) });
  }
}
