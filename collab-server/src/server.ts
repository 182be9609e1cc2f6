// The composition root: builds every part of one JunoKit process from a validated Config and
// wires them together. Nothing below this file knows how the others are constructed.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { hostname } from "node:os";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { getRequestListener } from "@hono/node-server";
import { createAiPeer, createAiProvider, createPromptLimits } from "./ai";
import { createAccounts, createTokenIssuer, loadJwtSecret } from "./auth";
import { createCollab, type Collab } from "./collab";
import type { Config } from "./config";
import { createHttp } from "./http";
import { createInboxGuard, createNotifier, type Notifier } from "./inbox";
import type { Logger } from "./log";
import { createMetrics } from "./metrics";
import { joinCluster, limiterFactory, redactUrl, type ClusterLink } from "./cluster";
import { openConfiguredLocalModel } from "./local-model";
import { createNotesAi } from "./notes-ai";
import { createDocumentSource, createMiniSearchIndex, createSearchService, openPostgresSearchIndex, searchRoutes, type SearchIndex, type SearchService } from "./search";
import { createPersonas, personaRoutes } from "./personas";
import { openLevelStore, openPostgresStore, type Store } from "./storage";
import { createImporter, DEFAULT_IMPORT_LIMITS, transferRoutes } from "./transfer";
import { createWorkspaces } from "./workspaces";

export interface JunoServer {
  url: string;
  port: number;
  store: Store;
  collab: Collab;
  search: SearchService;
  notifier: Notifier;
  /** Stops accepting, closes sockets, waits until every change is on disk, closes the store. */
  close(): Promise<void>;
}

/** PostgreSQL when DATABASE_URL is set, else LevelDB in DATA_DIR; a failure says which and where. */
async function openStore(config: Config, logger: Logger): Promise<Store> {
  if (!config.databaseUrl) return openLevelStore(join(config.dataDir, "db"), { logger });
  try {
    return await openPostgresStore(config.databaseUrl, { logger, schema: config.databaseSchema });
  } catch (error) {
    throw new Error(`PostgreSQL at ${redactUrl(config.databaseUrl)} is unreachable or refused us (${(error as Error).message}); check DATABASE_URL and that PostgreSQL is running`);
  }
}

/** With PostgreSQL, the index lives in the store's schema, shared by every instance (SPEC SRCH-6). */
async function openSearchIndex(config: Config, logger: Logger): Promise<SearchIndex & { close?: () => Promise<void> }> {
  if (!config.databaseUrl) return createMiniSearchIndex();
  return openPostgresSearchIndex(config.databaseUrl, { schema: config.databaseSchema, logger });
}

export async function startJunoServer(config: Config, logger: Logger): Promise<JunoServer> {
  await mkdir(config.dataDir, { recursive: true });
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const cluster: ClusterLink | undefined = config.redisUrl ? await joinCluster(config.redisUrl, config.redisPrefix, instanceId, logger) : undefined;
  const store = await openStore(config, logger).catch(async (error: unknown) => {
    await cluster?.close();
    throw error;
  });
  const searchIndex = await openSearchIndex(config, logger).catch(async (error: unknown) => {
    await store.close();
    await cluster?.close();
    throw error;
  });
  const tokens = createTokenIssuer(await loadJwtSecret(config.jwtSecret, config.dataDir), config.tokenTtlSeconds);
  // Rate limits are per process alone, or shared by every instance through Redis.
  const limiter = limiterFactory(cluster);
  const accounts = createAccounts(store, tokens, limiter);
  // AI_BASE_URL wins; else a local model file that loads; else the notice (SPEC LLM-1, LLM-2).
  const localModel = config.ai.baseUrl ? undefined : await openConfiguredLocalModel(
    { modelPath: config.ai.modelPath, dataDir: config.dataDir, threads: config.ai.threads, maxTokens: config.ai.maxTokens, promptTokens: config.ai.contextTokens },
    logger,
  );
  // One provider and one set of prompt limits for the chat AI peer and the notes AI.
  const aiProvider = localModel ?? createAiProvider(config.ai, logger);
  const promptLimits = createPromptLimits(config.ai.limits, limiter);
  const aiPeer = createAiPeer({
    provider: aiProvider,
    claims: store,
    limits: promptLimits,
    logger,
    deadlines: config.ai.deadlines,
    contextTokens: config.ai.contextTokens,
    instanceId,
    clustered: Boolean(cluster),
    findPersona: (workspaceId, id) => personas.find(workspaceId, id),
    onReply: (reply) => {
      metrics.aiRequests.inc({ outcome: reply.status });
      metrics.aiTokens.inc(reply.deltas);
      if (reply.status === "error") metrics.aiErrors.inc({ kind: reply.kind ?? "unknown" });
    },
  });
  const notesAi = createNotesAi({
    provider: aiProvider, claims: store, limits: promptLimits, logger, deadlines: config.ai.deadlines,
    contextTokens: config.ai.contextTokens, instanceId, clustered: Boolean(cluster), findPersona: (workspaceId, id) => personas.find(workspaceId, id),
  });
  // Search reads documents this process has open straight from the collab layer (made below).
  const documents = createDocumentSource(store, (name) => collab.hocuspocus.documents.get(name), logger);
  const search = createSearchService({ store, index: searchIndex, documents, logger, sharedIndex: Boolean(config.databaseUrl) });
  const notifier = createNotifier({ store, writer: { change: (name, fn) => collab.writer.change(name, fn) }, logger });
  // Made before the collab layer, whose writer and workspaces it reaches only once requests come in.
  const personas = createPersonas({
    store, workspaces: { requireRole: (...args) => workspaces.requireRole(...args) }, writer: { change: (name, fn) => collab.writer.change(name, fn) },
    logger, onChange: (workspaceId) => aiPeer.personasChanged(workspaceId), allowedModels: config.ai.allowedModels, defaultModel: config.ai.model,
  });
  // The gauges read the collab layer's numbers at scrape time, so they can be made first.
  const metrics = createMetrics(() => collab.stats());
  const collab: Collab = createCollab({
    accounts, store, logger, limits: config.limits, allowedOrigins: config.allowedOrigins, metrics,
    extensions: [...(cluster ? [cluster.extension] : []), aiPeer.extension, notesAi.extension, search.extension, notifier.extension, createInboxGuard(logger), personas.extension],
  });
  const workspaces = createWorkspaces(store, collab.writer, { memberAdded: notifier.memberAdded });
  const health = { store: () => store.ping(), ...(cluster ? { redis: () => cluster.ping() } : {}) };
  const importer = createImporter({ store, writer: collab.writer, logger });
  const routes = [searchRoutes(search, workspaces), personaRoutes(personas), transferRoutes({ store, workspaces, documents, importer, limits: { ...DEFAULT_IMPORT_LIMITS, maxBytes: config.importMaxBytes } })];
  const http = createHttp({ accounts, workspaces, store, logger, health, metrics, routes, appDist: config.appDist, trustProxyHops: config.trustProxyHops });

  const server = createServer(getRequestListener(http.fetch));
  server.on("upgrade", (req, socket, head) => collab.handleUpgrade(req, socket, head));
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    logger.debug({ err }, "malformed HTTP request");
    // Answer like Node does without this handler (e.g. a 100 KB search URL gets 431), then close.
    if (!socket.writable) return socket.destroy();
    const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  const port = await listen(server, config.port, config.host);
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, instanceId, dataDir: config.dataDir, store: config.databaseUrl ? "postgresql" : "leveldb", cluster: Boolean(cluster), app: config.appDist }, "JunoKit is listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    collab,
    search,
    notifier,
    close: () =>
      (closing ??= (async () => {
        server.close();
        await aiPeer.close();
        await notesAi.close();
        await localModel?.close();
        await notifier.flush();
        await collab.close();
        server.closeAllConnections();
        await search.flush();
        await searchIndex.close?.();
        await store.close();
        await cluster?.close();
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
