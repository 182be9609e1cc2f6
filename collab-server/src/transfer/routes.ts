import { conversationDocName, readMeta } from "@junokit/doc-model";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as Y from "yjs";
import { z } from "zod";
import { ApiError } from "../http";
import type { ApiRoutes } from "../http";
import type { DocumentSource } from "../search";
import type { Store } from "../storage";
import type { Workspaces } from "../workspaces";
import { ImportError } from "./errors";
import { exportConversation } from "./export";
import { FORMAT_VERSION, WORKSPACE_FORMAT, type ExportedWorkspace, type ImportLimits } from "./formats";
import type { createImporter } from "./importer";
import { conversationToMarkdown } from "./markdown";
import { readImport } from "./read-import";

export interface TransferRoutesOptions {
  store: Store;
  workspaces: Workspaces;
  documents: DocumentSource;
  importer: ReturnType<typeof createImporter>;
  limits: ImportLimits;
}

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not a valid id");
const exportFormat = z.enum(["json", "markdown", "yjs"]).default("json");
const importFormat = z.enum(["json", "markdown", "yjs", "chatgpt"]).optional();
const IMPORT_PATH = /\/workspaces\/[^/]+\/import$/;

/**
 * Export (members) and import (editors and owners) of DESIGN.md §3: a conversation as JSON,
 * Markdown or its Yjs state, a workspace as one JSON archive, and imports of all of those and
 * of ChatGPT's conversations.json.
 */
export function transferRoutes({ store, workspaces, documents, importer, limits }: TransferRoutesOptions): ApiRoutes {
  const tooLarge = (c: Context) =>
    c.json({ error: { code: "too_large", message: `the file is over the import limit of ${limits.maxBytes} bytes` } }, 413);

  return {
    ownBodyLimit: (c) => c.req.method === "POST" && IMPORT_PATH.test(c.req.path),

    mount(api) {
      api.get("/workspaces/:wid/conversations/:cid/export", async (c) => {
        const [wid, cid] = [id.parse(c.req.param("wid")), id.parse(c.req.param("cid"))];
        const format = exportFormat.parse(c.req.query("format") || undefined);
        await workspaces.requireRole(c.var.user, wid, "viewer");
        const record = await store.getConversation(wid, cid);
        if (!record) throw new ApiError(404, "not_found", "no such conversation in this workspace");
        const doc = await documents.read(conversationDocName(wid, cid));
        // Read the document before the next await: a live one keeps changing. Its title is the
        // truth; the stored record follows it a moment later.
        const title = readMeta(doc).title || record.title;
        if (format === "yjs") {
          attachment(c, title, "yjs");
          return c.body(new Uint8Array(Y.encodeStateAsUpdate(doc)), 200, { "Content-Type": "application/octet-stream" });
        }
        const exported = exportConversation(doc, { workspaceId: wid, conversationId: cid });
        if (format === "markdown") {
          attachment(c, title, "md");
          return c.body(conversationToMarkdown(exported), 200, { "Content-Type": "text/markdown; charset=utf-8" });
        }
        attachment(c, title, "json");
        return c.json(exported);
      });

      api.get("/workspaces/:wid/export", async (c) => {
        const wid = id.parse(c.req.param("wid"));
        await workspaces.requireRole(c.var.user, wid, "viewer");
        const workspace = await store.getWorkspace(wid);
        const archive: ExportedWorkspace = {
          format: WORKSPACE_FORMAT, version: FORMAT_VERSION, workspace: { id: wid, name: workspace?.name ?? "" }, exportedAt: Date.now(), conversations: [],
        };
        for (const record of await store.listConversations(wid)) {
          const doc = await documents.read(conversationDocName(wid, record.id));
          archive.conversations.push(exportConversation(doc, { workspaceId: wid, conversationId: record.id }));
        }
        attachment(c, archive.workspace.name || "workspace", "json");
        return c.json(archive);
      });

      api.post("/workspaces/:wid/import", bodyLimit({ maxSize: limits.maxBytes, onError: tooLarge }), async (c) => {
        const wid = id.parse(c.req.param("wid"));
        const format = importFormat.parse(c.req.query("format") || undefined);
        await workspaces.requireRole(c.var.user, wid, "editor");
        const body = new Uint8Array(await c.req.arrayBuffer());
        const user = c.var.user;
        try {
          const conversations = readImport({ body, contentType: c.req.header("content-type") ?? "", format, importer: { id: user.id, name: user.displayName || user.username } }, limits);
          return c.json({ conversations: await importer.importConversations(user, wid, conversations) }, 201);
        } catch (err) {
          if (err instanceof ImportError) throw new ApiError(err.status, err.code, err.message);
          throw err;
        }
      });
    },
  };
}

/** A download name made of the title, safe in a header, with the UTF-8 original alongside. */
function attachment(c: Context, title: string, extension: string): void {
  const base = title.replace(/[^\p{L}\p{N} _.-]+/gu, " ").trim().slice(0, 80) || "conversation";
  const ascii = base.replace(/[^\x20-\x7e]/g, "_");
  c.header("Content-Disposition", `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${encodeURIComponent(`${base}.${extension}`)}`);
}
