// The `npm start` entry: read the configuration once, start one JunoKit process, and shut it
// down cleanly on SIGTERM/SIGINT (every acknowledged change is already on disk; this waits
// for server-side writes in flight, then exits 0).
import { format } from "node:util";
import { ConfigError, parseConfig, readEnvironment } from "./config";
import { createLogger, type Logger } from "./log";
import { startJunoServer } from "./server";

function routeConsoleToLog(logger: Logger): void {
  // Libraries (Hocuspocus) print to the console; keep every line structured JSON.
  console.log = (...args: unknown[]) => logger.info({ source: "library" }, format(...args));
  console.warn = (...args: unknown[]) => logger.warn({ source: "library" }, format(...args));
  console.error = (...args: unknown[]) => logger.error({ source: "library" }, format(...args));
}

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(readEnvironment());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger("info").fatal({ problems: error.problems }, "invalid configuration; fix these variables and start again");
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  routeConsoleToLog(logger);
  const server = await startJunoServer(config, logger).catch((err: unknown) => {
    logger.fatal({ err }, "JunoKit could not start");
    process.exit(1);
  });
  const stop = (signal: string) => {
    logger.info({ signal }, "shutting down");
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.fatal({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

void main();
