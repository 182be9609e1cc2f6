import { useEffect, useRef, useState, type FormEvent } from "react";
import { describeError } from "../api";
import { routeHref } from "../route";
import { Dialog } from "../workspaces";
import { formatBytes, IMPORT_ACCEPT, progressText, type UploadProgress } from "./files";
import { importFile, type ImportedConversation } from "./transfer-api";
import { FormFooter } from "../forms";

interface Props {
  workspaceId: string;
  onClose(): void;
  /** Opens one of the conversations just imported. */
  onOpen(conversationId: string): void;
}

/**
 * Import into the workspace: pick a file, watch it upload, then open what it became. The
 * server checks the whole file first, so a refused file creates nothing and says why.
 */
export function ImportDialog({ workspaceId, onClose, onOpen }: Props) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [imported, setImported] = useState<ImportedConversation[] | null>(null);
  const upload = useRef<AbortController | null>(null);
  // Closing the dialog cancels an upload still under way.
  useEffect(() => () => upload.current?.abort(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file || upload.current) return;
    const controller = new AbortController();
    upload.current = controller;
    setError(null);
    setProgress({ phase: "uploading", loaded: 0, total: file.size });
    try {
      setImported(await importFile(workspaceId, file, setProgress, controller.signal));
    } catch (e) {
      if (controller.signal.aborted) return;
      setError(describeError(e));
    } finally {
      if (upload.current === controller) upload.current = null;
      if (!controller.signal.aborted) setProgress(null);
    }
  }

  if (imported) {
    return (
      <Dialog title="Import conversations" onClose={onClose}>
        <div className="form import">
          <p className="form__ok" role="status">
            Imported {imported.length === 1 ? "1 conversation" : `${imported.length} conversations`}. {imported.length === 1 ? "It is" : "They are"} in
            the sidebar for everyone in this workspace.
          </p>
          <ul className="import__done">
            {imported.map((c) => (
              <li key={c.id}>
                <a
                  href={routeHref({ workspaceId, conversationId: c.id })}
                  data-conversation={c.id}
                  onClick={(e) => {
                    e.preventDefault();
                    onOpen(c.id);
                  }}
                >
                  {c.title || "Untitled conversation"}
                </a>
              </li>
            ))}
          </ul>
          <div className="form__actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                setImported(null);
                setFile(null);
              }}
            >
              Import another
            </button>
            <button type="button" className="button button--primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      </Dialog>
    );
  }

  const busy = progress !== null;
  return (
    <Dialog title="Import conversations" onClose={onClose}>
      <form className="form import" onSubmit={submit}>
        <p className="import__help">
          A JunoKit export (JSON, Markdown or Yjs), a workspace export, or ChatGPT’s <code>conversations.json</code>. Each conversation in the file
          becomes a new one here; if anything in it is wrong, nothing is imported.
        </p>
        <label className="field">
          <span>File</span>
          <input
            type="file"
            accept={IMPORT_ACCEPT}
            disabled={busy}
            aria-describedby="import-file-note"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setError(null);
            }}
          />
          <span className="field__hint" id="import-file-note">
            {file ? `${file.name} · ${formatBytes(file.size)}` : "Up to 20 MB unless the server says otherwise."}
          </span>
        </label>
        {progress && (
          <div className="import__progress" role="status" aria-live="polite">
            <progress
              aria-label="Import progress"
              max={progress.total || 1}
              {...(progress.phase === "uploading" ? { value: progress.loaded } : {})}
              data-phase={progress.phase}
            />
            <span>{progressText(progress)}</span>
          </div>
        )}
        <FormFooter error={error} onCancel={onClose} submit="Import" busyLabel="Importing…" busy={busy} disabled={!file} />
      </form>
    </Dialog>
  );
}
