// What the e2e tests share: building the app when stale, launching Debian's Chromium with
// one context per person, signing people in, and the shape of the in-page debug handle.
export { APP_DIR, APP_DIST, appIsStale, ensureAppBuilt } from "./build";
export { ARTIFACTS, launchBrowser, openPerson, screenshot } from "./browser";
export { createAccount, openConversation, PASSWORD, signIn, waitLive } from "./sign-in";
export { startSlowLink } from "./slow-link";
export type { SlowLink } from "./slow-link";
export type { Person } from "./browser";
export type { Debug } from "./debug";
