// Where the person is, kept in the URL hash (#/w/<wid>/c/<cid>) so reloads, links and the
// back button work with any static server, without a fallback route on the server.
import { isValidId } from "@junokit/doc-model";
import { useSyncExternalStore } from "react";

export interface Route {
  workspaceId: string | null;
  conversationId: string | null;
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/");
  const wid = parts[0] === "w" && parts[1] && isValidId(parts[1]) ? parts[1] : null;
  const cid = wid && parts[2] === "c" && parts[3] && isValidId(parts[3]) ? parts[3] : null;
  return { workspaceId: wid, conversationId: cid };
}

export function routeHref(route: Route): string {
  if (!route.workspaceId) return "#/";
  return route.conversationId ? `#/w/${route.workspaceId}/c/${route.conversationId}` : `#/w/${route.workspaceId}`;
}

export function navigate(route: Route, replace = false): void {
  const href = routeHref(route);
  if (location.hash === href) return;
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

let cached: { hash: string; route: Route } | null = null;
function snapshot(): Route {
  if (cached?.hash !== location.hash) cached = { hash: location.hash, route: parseRoute(location.hash) };
  return cached.route;
}

export function useRoute(): Route {
  return useSyncExternalStore(
    (l) => {
      window.addEventListener("hashchange", l);
      return () => window.removeEventListener("hashchange", l);
    },
    snapshot,
  );
}
