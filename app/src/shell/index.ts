// The frame of the signed-in app: layout (sidebar drawer, main, members panel), routing in
// the URL hash, and the switch between the sign-in screen and the workspace.
export { App } from "./App";
export { navigate, parseRoute, routeHref, useRoute } from "./route";
export type { Route } from "./route";
