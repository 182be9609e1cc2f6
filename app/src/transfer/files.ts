// The small, pure rules of moving files in and out: download names, how an import is labelled
// for the server, and how big things are said to a person.

export type ExportFormat = "markdown" | "json" | "yjs";

export const EXPORT_FORMATS: readonly { format: ExportFormat; label: string; extension: string }[] = [
  { format: "markdown", label: "Markdown", extension: "md" },
  { format: "json", label: "JSON", extension: "json" },
  { format: "yjs", label: "Yjs update", extension: "yjs" },
];

/** What the file picker offers: JunoKit's three formats and ChatGPT's conversations.json. */
export const IMPORT_ACCEPT = ".json,.md,.markdown,.yjs,.bin,application/json,text/markdown,application/octet-stream";

/** The download's name from `Content-Disposition` (the UTF-8 `filename*` first), else the fallback. */
export function fileNameFrom(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended) {
    try {
      return safeName(decodeURIComponent(extended[1]!.trim()), fallback);
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, "$1") ?? plain?.[2]?.trim();
  return name ? safeName(name, fallback) : fallback;
}

/** No folders and no control characters in a name the browser saves. */
function safeName(name: string, fallback: string): string {
  const cleaned = name.replace(/[/\\]/g, "_").replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return cleaned && cleaned !== "." && cleaned !== ".." ? cleaned : fallback;
}

/**
 * The content type an import is sent with, from the file's name: the server reads the format
 * from it (SPEC XFER-3). Unknown names send none, and the server looks at the first bytes.
 */
export function importContentType(fileName: string): string | null {
  const extension = /\.([^.]+)$/.exec(fileName.toLowerCase())?.[1];
  if (extension === "json") return "application/json";
  if (extension === "md" || extension === "markdown") return "text/markdown; charset=utf-8";
  if (extension === "yjs" || extension === "bin") return "application/octet-stream";
  return null;
}

/** "850 B", "12.4 KB", "3.2 MB" (1024-based, as file managers show). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export interface UploadProgress {
  /** Bytes sent so far and in all; "processing" once the server has the whole file. */
  loaded: number;
  total: number;
  phase: "uploading" | "processing";
}

/** "Uploading 3.2 MB of 10 MB (32 %)", then what the server is doing. */
export function progressText(progress: UploadProgress): string {
  if (progress.phase === "processing") return "Importing: the server is checking the file…";
  const percent = progress.total > 0 ? Math.floor((progress.loaded / progress.total) * 100) : 0;
  return `Uploading ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)} (${percent} %)`;
}
