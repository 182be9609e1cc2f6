// HTTP: the JSON API of DESIGN.md §3 under /api and the built app. Handlers validate input
// with zod and call the auth and workspaces services; errors are `{error: {code, message}}`.
import { Hono } from "hono";
import { createApi, type ApiDeps } from "./api";
import { mountApp } from "./app-files";

export { ApiError } from "./errors";

export function createHttp(deps: ApiDeps & { appDist: string | undefined }): Hono {
  const http = new Hono();
  http.route("/api", createApi(deps));
  mountApp(http, deps.appDist);
  return http;
}
