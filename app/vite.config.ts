/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { VitePWA } from "vite-plugin-pwa";

// The collab server serves app/dist in production; in development Vite proxies the API and
// the WebSocket to it, so the app always talks to its own origin.
const server = process.env.JUNOKIT_DEV_SERVER ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [
    react(),
    // The app shell works offline: a service worker precaches every built file and answers
    // navigations with index.html. A new deployment waits until the person accepts the
    // "new version" prompt (registerType "prompt"; see src/shell/update.ts).
    VitePWA({
      registerType: "prompt",
      injectRegister: false,
      manifest: {
        name: "JunoKit",
        short_name: "JunoKit",
        description: "A realtime workspace where a team and an AI talk and write together.",
        start_url: "/",
        display: "standalone",
        theme_color: "#4f46e5",
        background_color: "#f7f7f8",
        icons: [{ src: "icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,svg,png,ico,webmanifest}"],
        navigateFallback: "index.html",
        // The API and the WebSocket are never the app shell.
        navigateFallbackDenylist: [/^\/api\//, /^\/collab/],
        cleanupOutdatedCaches: true,
        // The first visit is controlled at once (works offline without a reload), and an
        // accepted update takes over the open tabs, which then reload into it.
        clientsClaim: true,
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
    }),
  ],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, reportCompressedSize: true },
  server: {
    proxy: {
      "/api": { target: server, changeOrigin: true },
      "/collab": { target: server.replace(/^http/, "ws"), ws: true, changeOrigin: true },
    },
  },
});
