import { useState, type FormEvent } from "react";
import { describeError, type ApiClient, type WorkspaceSummary } from "../api";
import { Dialog } from "./Dialog";
import { FormFooter } from "../forms";

export function NewWorkspaceDialog({ api, onCreated, onClose }: { api: ApiClient; onCreated(ws: WorkspaceSummary): void; onClose(): void }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setError("Give the workspace a name.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.createWorkspace(name.trim()));
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  }

  return (
    <Dialog title="New workspace" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Name</span>
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Platform team" maxLength={80} autoFocus />
        </label>
        <FormFooter error={error} onCancel={onClose} submit="Create workspace" busyLabel="Creating…" busy={busy} />
      </form>
    </Dialog>
  );
}
