import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { Logger } from "../log";
import { ConflictError } from "../storage";
import { WorkspaceError } from "../workspaces";

/** An error the client should see as `{error: {code, message}}` with this status. */
export class ApiError extends Error {
  constructor(readonly status: ContentfulStatusCode, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = "ApiError";
  }
}

const WORKSPACE_STATUS: Record<WorkspaceError["code"], ContentfulStatusCode> = { not_found: 404, forbidden: 403, invalid: 400 };

export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) {
    const detail = error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return new ApiError(400, "invalid_input", detail);
  }
  if (error instanceof WorkspaceError) return new ApiError(WORKSPACE_STATUS[error.code], error.code, error.message);
  if (error instanceof ConflictError) return new ApiError(409, "conflict", error.message);
  return null;
}

export function errorResponse(c: Context, error: ApiError): Response {
  for (const [k, v] of Object.entries(error.headers)) c.header(k, v);
  return c.json({ error: { code: error.code, message: error.message } }, error.status);
}

export function handleError(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const known = toApiError(error);
    if (known) return errorResponse(c, known);
    logger.error({ err: error, method: c.req.method, path: c.req.path }, "request failed");
    return errorResponse(c, new ApiError(500, "internal", "something went wrong on the server; try again, and check the server log if it persists"));
  };
}
