// Export and import over HTTP (DESIGN.md §3, SPEC XFER-*). Downloads need the session's bearer
// token, so they are fetched and handed to the browser as a file; uploads go through
// XMLHttpRequest, whose upload events give a large import its progress.
import { ApiError, toApiError } from "../api";
import { sessionStore, signOut } from "../auth";
import { fileNameFrom, importContentType, type ExportFormat, type UploadProgress } from "./files";

export interface ImportedConversation {
  id: string;
  docName: string;
  title: string;
}

const workspacePath = (wid: string) => `/api/workspaces/${encodeURIComponent(wid)}`;

export function conversationExportPath(workspaceId: string, conversationId: string, format: ExportFormat): string {
  return `${workspacePath(workspaceId)}/conversations/${encodeURIComponent(conversationId)}/export?format=${format}`;
}

export function workspaceExportPath(workspaceId: string): string {
  return `${workspacePath(workspaceId)}/export`;
}

function offline(what: string): ApiError {
  return new ApiError(0, "network", `${what} needs the server, which can't be reached right now. Try again when you are back online.`);
}

/** A 401 on a request that carried a token ends the session, like every other API call (APP-API-1). */
function failure(status: number, payload: unknown, token: string | null): ApiError {
  const error = toApiError(status, payload, Boolean(token));
  if (error.code === "unauthorized" && token) signOut(error.message);
  return error;
}

/** Fetches an export and saves it under the server's file name; resolves with that name. */
export async function downloadExport(path: string, fallbackName: string): Promise<string> {
  const token = sessionStore.get()?.token ?? null;
  if (navigator.onLine === false) throw offline("Exporting");
  let response: Response;
  try {
    response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw offline("Exporting");
  }
  if (!response.ok) throw failure(response.status, await response.json().catch(() => null), token);
  const name = fileNameFrom(response.headers.get("Content-Disposition"), fallbackName);
  saveFile(await response.blob(), name);
  return name;
}

function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the blob after this turn; let it go once the download has surely started.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Uploads a file to `POST /api/workspaces/:wid/import` (editors and owners), reporting upload
 * progress, and resolves with the conversations it created. Rejects with an ApiError whose
 * message is the server's own for a refused file (SPEC XFER-5), or an AbortError.
 */
export function importFile(
  workspaceId: string,
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<ImportedConversation[]> {
  if (file.size === 0) return Promise.reject(new ApiError(400, "empty", "This file is empty: choose an export file."));
  if (navigator.onLine === false) return Promise.reject(offline("Importing"));
  if (signal?.aborted) return Promise.reject(new DOMException("The import was cancelled.", "AbortError"));
  const token = sessionStore.get()?.token ?? null;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${workspacePath(workspaceId)}/import`);
    xhr.setRequestHeader("Accept", "application/json");
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    // Otherwise the browser sends the file's own type (or none), and the server recognises the
    // format by its first bytes.
    const type = importContentType(file.name);
    if (type) xhr.setRequestHeader("Content-Type", type);
    xhr.upload.onprogress = (e) => onProgress({ phase: "uploading", loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.upload.onload = () => onProgress({ phase: "processing", loaded: file.size, total: file.size });
    xhr.onload = () => {
      const payload = readJson(xhr.responseText);
      if (xhr.status === 201) resolve((payload as { conversations?: ImportedConversation[] } | null)?.conversations ?? []);
      else reject(failure(xhr.status, payload, token));
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "The upload stopped: the server can't be reached. Check your connection and try again."));
    xhr.onabort = () => reject(new DOMException("The import was cancelled.", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
