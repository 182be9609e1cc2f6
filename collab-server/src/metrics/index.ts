// Operational metrics in Prometheus format (prom-client), one registry per server so several
// servers in one process (tests, benchmarks) never mix their numbers.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface Metrics {
  registry: Registry;
  documentUpdates: Counter<"source">;
  storeAppendSeconds: Histogram;
  aiRequests: Counter<"outcome">;
  aiTokens: Counter;
  aiErrors: Counter<"kind">;
}

/** `sample` is read at scrape time, so gauges never go stale. */
export function createMetrics(sample: () => { sockets: number; pendingSockets: number; documents: number }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "junokit_" });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  gauge("junokit_websocket_connections", "Open WebSocket connections", () => sample().sockets);
  gauge("junokit_websocket_unauthenticated", "WebSocket connections that have not authenticated yet", () => sample().pendingSockets);
  gauge("junokit_documents_loaded", "Documents loaded in memory", () => sample().documents);
  return {
    registry,
    documentUpdates: new Counter({ name: "junokit_document_updates_total", help: "Document updates stored, by source (client or server)", labelNames: ["source"], registers: [registry] }),
    storeAppendSeconds: new Histogram({
      name: "junokit_store_append_seconds", help: "Time to append one update to the store",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers: [registry],
    }),
    aiRequests: new Counter({ name: "junokit_ai_requests_total", help: "Requests to the AI endpoint, by outcome", labelNames: ["outcome"], registers: [registry] }),
    aiTokens: new Counter({ name: "junokit_ai_tokens_total", help: "Streamed chunks of AI replies written into documents", registers: [registry] }),
    aiErrors: new Counter({ name: "junokit_ai_errors_total", help: "AI replies that ended in an error, by kind", labelNames: ["kind"], registers: [registry] }),
  };
}
