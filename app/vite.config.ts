/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The collab server serves app/dist in production; in development Vite proxies the API and
// the WebSocket to it, so the app always talks to its own origin.
const server = process.env.JUNOKIT_DEV_SERVER ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, reportCompressedSize: true },
  server: {
    proxy: {
      "/api": { target: server, changeOrigin: true },
      "/collab": { target: server.replace(/^http/, "ws"), ws: true, changeOrigin: true },
    },
  },
});
