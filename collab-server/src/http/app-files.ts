import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";

// Vite names assets by content hash, so they never change: cache them for a year. The HTML
// that points at them must always be revalidated.
const IMMUTABLE = "public, max-age=31536000, immutable";

/** Serves the built app, with index.html for every client-side route. */
export function mountApp(http: Hono, appDist: string | undefined): void {
  if (!appDist || !existsSync(join(appDist, "index.html"))) {
    http.get("/", (c) => c.text("JunoKit's API is running, but the app is not built. Run `npm run build` (npm start does this for you).", 503));
    return;
  }
  http.use("/assets/*", async (c, next) => {
    await next();
    if (c.res.status === 200) c.header("Cache-Control", IMMUTABLE);
  });
  http.use("*", serveStatic({ root: appDist, onFound: (path, c) => { if (!path.includes("/assets/")) c.header("Cache-Control", "no-cache"); } }));
  http.get("*", async (c) => {
    c.header("Cache-Control", "no-cache");
    return c.html(await readFile(join(appDist, "index.html"), "utf8"));
  });
}
