import { z } from "zod";
import type { ApiRoutes } from "../http";
import type { Workspaces } from "../workspaces";
import type { SearchService } from "./search-service";

/** Longer queries are refused (400) before they reach the index (SPEC SRCH-5). */
export const MAX_QUERY_CHARS = 256;
const MAX_LIMIT = 50;

const params = z.object({
  wid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not a valid id"),
  q: z.string().trim().min(1, "say what to search for").max(MAX_QUERY_CHARS, `at most ${MAX_QUERY_CHARS} characters`),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(20),
});

/** `GET /api/workspaces/:wid/search?q=…&limit=…` for members (DESIGN.md §3). */
export function searchRoutes(search: SearchService, workspaces: Workspaces): ApiRoutes {
  return {
    mount(api) {
      api.get("/workspaces/:wid/search", async (c) => {
        const { wid, q, limit } = params.parse({ wid: c.req.param("wid"), q: c.req.query("q") ?? "", limit: c.req.query("limit") });
        await workspaces.requireRole(c.var.user, wid, "viewer");
        return c.json({ hits: await search.search(wid, q, limit) });
      });
    },
  };
}
