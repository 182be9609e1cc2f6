// The installed app shell and its updates. The service worker (vite-plugin-pwa) keeps the
// built files so the app opens offline; when a new version is deployed it waits, and the
// person decides when to reload into it (nothing is lost: documents live in IndexedDB).
import { registerSW } from "virtual:pwa-register";
import { createStore } from "../store";

/** A new version is downloaded and waiting for the person to reload. */
export const updateReady = createStore(false);

const CHECK_EVERY_MS = 60 * 60 * 1000;
let update: ((reload?: boolean) => Promise<void>) | null = null;

export function startAppUpdates(): void {
  if (started || typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  started = true;
  // Not on the way to the first screen: registering loads workbox-window and talks to the worker.
  const register = () => void registerNow();
  if (typeof requestIdleCallback === "function") requestIdleCallback(register, { timeout: 2000 });
  else setTimeout(register, 500);
}

let started = false;

function registerNow(): void {
  update = registerSW({
    immediate: true,
    onNeedRefresh: () => updateReady.set(true),
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      // Long-lived tabs look for new versions now and then, and when the network returns.
      const check = () => {
        if (navigator.onLine) void registration.update().catch(() => undefined);
      };
      setInterval(check, CHECK_EVERY_MS);
      window.addEventListener("online", check);
    },
    // No service worker (blocked, or an insecure origin): the app simply needs the network to open.
    onRegisterError: () => undefined,
  });
}

/** Activates the waiting version and reloads into it. */
export function reloadIntoUpdate(): void {
  // workbox-window reloads only for a version this tab found itself; one found by another tab
  // (or a second check in this one) takes control just the same: reload when it does.
  navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload(), { once: true });
  void update?.(true);
}
