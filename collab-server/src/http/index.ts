// HTTP: the JSON API of DESIGN.md §3 under /api, Prometheus metrics at /metrics, and the built app. Handlers validate input
// with zod and call the auth and workspaces services; errors are `{error: {code, message}}`.
import { Hono } from "hono";
import type { Metrics } from "../metrics";
import { createApi, type ApiDeps } from "./api";
import { mountApp } from "./app-files";

export { ApiError } from "./errors";
export { jsonBody, type ApiRoutes } from "./api";

export function createHttp(deps: ApiDeps & { appDist: string | undefined; metrics: Metrics }): Hono {
  const http = new Hono();
  http.route("/api", createApi(deps));
  http.get("/metrics", async (c) => {
    c.header("Content-Type", deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });
  mountApp(http, deps.appDist);
  return http;
}
