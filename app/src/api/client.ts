// A typed fetch client for JunoKit's HTTP API. Every failure becomes an ApiError whose
// `message` is written for the person at the screen: what happened and what to do.
import type {
  ConversationSummary,
  CreatedConversation,
  Me,
  PersonaInput,
  PersonaModels,
  WorkspacePersona,
  Session,
  WorkspaceDetails,
  WorkspaceRole,
  WorkspaceSummary,
} from "./types";

export type ApiErrorCode =
  | "network"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "invalid"
  | "rate_limited"
  | "server"
  | (string & {});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ApiClientOptions {
  /** Origin the API lives on; "" means the page's own origin. */
  baseUrl?: string;
  getToken: () => string | null;
  /** Called when the server says the session is no longer valid. */
  onUnauthorized?: () => void;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(options: ApiClientOptions) {
  const base = options.baseUrl ?? "";

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    const token = options.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    // Offline, the answer is known without asking (and the browser logs no failed request).
    if (typeof navigator !== "undefined" && navigator.onLine === false) throw offlineError();
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw offlineError();
    }
    const payload = await readJson(response);
    if (!response.ok) {
      const error = toApiError(response.status, payload, Boolean(token));
      if (error.code === "unauthorized" && token) options.onUnauthorized?.();
      throw error;
    }
    return payload as T;
  }

  const ws = (wid: string) => `/api/workspaces/${encodeURIComponent(wid)}`;

  return {
    register: (input: { username: string; password: string; displayName?: string }) =>
      call<Session>("POST", "/api/auth/register", input),
    login: (input: { username: string; password: string }) => call<Session>("POST", "/api/auth/login", input),
    me: () => call<Me>("GET", "/api/me"),
    createWorkspace: (name: string) => call<WorkspaceSummary>("POST", "/api/workspaces", { name }),
    workspace: (wid: string) => call<WorkspaceDetails>("GET", ws(wid)),
    addMember: (wid: string, username: string, role: WorkspaceRole) =>
      call<unknown>("POST", `${ws(wid)}/members`, { username, role }),
    createConversation: (wid: string, input: { title?: string; persona?: string }) =>
      call<CreatedConversation>("POST", `${ws(wid)}/conversations`, input),
    conversations: (wid: string) => call<ConversationSummary[]>("GET", `${ws(wid)}/conversations`),
    personas: (wid: string) => call<WorkspacePersona[]>("GET", `${ws(wid)}/personas`),
    personaModels: (wid: string) => call<PersonaModels>("GET", `${ws(wid)}/personas/models`),
    createPersona: (wid: string, input: PersonaInput) => call<WorkspacePersona>("POST", `${ws(wid)}/personas`, input),
    /** Replaces the persona whole: optional fields left out are cleared. */
    replacePersona: (wid: string, id: string, input: PersonaInput) =>
      call<WorkspacePersona>("PUT", `${ws(wid)}/personas/${encodeURIComponent(id)}`, input),
    deletePersona: (wid: string, id: string) => call<null>("DELETE", `${ws(wid)}/personas/${encodeURIComponent(id)}`),
    health: () => call<{ ok: boolean }>("GET", "/api/health"),
  };
}

function offlineError(): ApiError {
  return new ApiError(0, "network", "Can't reach the JunoKit server. Check your connection and try again.");
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Maps a failed response to an error a person can act on. */
export function toApiError(status: number, payload: unknown, hadToken: boolean): ApiError {
  const server = readServerError(payload);
  if (status === 401) {
    return hadToken
      ? new ApiError(401, "unauthorized", "Your session has ended. Sign in again to continue.")
      : new ApiError(401, "unauthorized", server?.message ?? "Wrong username or password. Check both and try again.");
  }
  if (status === 429) {
    return new ApiError(429, "rate_limited", "Too many attempts. Wait a minute, then try again.");
  }
  if (status >= 500 || status === 0) {
    return new ApiError(status, "server", `The server had a problem (${status}). Try again in a moment.`);
  }
  const fallback: Record<number, [ApiErrorCode, string]> = {
    400: ["invalid", "The request was not accepted. Check what you entered and try again."],
    403: ["forbidden", "You don't have permission to do that. Ask a workspace owner for access."],
    404: ["not_found", "That was not found. It may have been removed, or you may not have access."],
    409: ["conflict", "That already exists. Choose another name."],
    422: ["invalid", "Some of what you entered is not valid. Check it and try again."],
  };
  const [code, message] = fallback[status] ?? ["invalid", `The request failed (${status}). Try again.`];
  return new ApiError(status, server?.code ?? code, server?.message ?? message);
}

function readServerError(payload: unknown): { code?: string; message?: string } | null {
  if (!payload || typeof payload !== "object") return null;
  const error = (payload as { error?: unknown }).error;
  if (!error || typeof error !== "object") return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === "string" && code ? { code } : {}),
    ...(typeof message === "string" && message ? { message } : {}),
  };
}

/** The message to show for anything thrown, ApiError or not. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Something went wrong. Reload the page and try again.";
}
