// Where the person is: the workspace and conversation in the URL hash, read and changed by every
// screen that links or jumps somewhere (its own folder so those screens need not import the shell).
export { navigate, parseRoute, routeHref, useRoute } from "./route";
export type { Route } from "./route";
