// The composition root: builds every part of one JunoKit process from a validated Config and
// wires them together. Nothing below this file knows how the others are constructed.
import { mkdir } from "node:fs/promises";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { getRequestListener } from "@hono/node-server";
import { createAccounts, createTokenIssuer, loadJwtSecret } from "./auth";
import { createCollab, type Collab } from "./collab";
import type { Config } from "./config";
import { createHttp } from "./http";
import type { Logger } from "./log";
import { openLevelStore, type Store } from "./storage";
import { createWorkspaces } from "./workspaces";

export interface JunoServer {
  url: string;
  port: number;
  store: Store;
  collab: Collab;
  /** Stops accepting, closes sockets, waits until every change is on disk, closes the store. */
  close(): Promise<void>;
}

export async function startJunoServer(config: Config, logger: Logger): Promise<JunoServer> {
  await mkdir(config.dataDir, { recursive: true });
  const store = await openLevelStore(join(config.dataDir, "db"), { logger });
  const tokens = createTokenIssuer(await loadJwtSecret(config.jwtSecret, config.dataDir), config.tokenTtlSeconds);
  const accounts = createAccounts(store, tokens);
  const collab = createCollab({ accounts, store, logger, limits: config.limits, allowedOrigins: config.allowedOrigins });
  const workspaces = createWorkspaces(store, collab.writer);
  const http = createHttp({ accounts, workspaces, store, logger, appDist: config.appDist });

  const server = createServer(getRequestListener(http.fetch));
  server.on("upgrade", (req, socket, head) => collab.handleUpgrade(req, socket, head));
  server.on("clientError", (err, socket) => {
    logger.debug({ err }, "malformed HTTP request");
    socket.destroy();
  });
  const port = await listen(server, config.port, config.host);
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, dataDir: config.dataDir, app: config.appDist ?? null }, "JunoKit is listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    collab,
    close: () =>
      (closing ??= (async () => {
        server.close();
        await collab.close();
        server.closeAllConnections();
        await store.close();
        logger.info("JunoKit stopped; every change is on disk");
      })()),
  };
}

function listen(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
