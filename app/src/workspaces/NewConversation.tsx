import { DEFAULT_PERSONA_ID } from "@junokit/doc-model";
import { useState, type CSSProperties, type FormEvent } from "react";
import { describeError, type ApiClient } from "../api";
import { usePersonaList } from "../personas";
import { Dialog } from "./Dialog";
import { FormFooter } from "../forms";

/** Title + persona, then the server creates the document and we open it. */
export function NewConversationDialog({
  api,
  workspaceId,
  onCreated,
  onClose,
}: {
  api: ApiClient;
  workspaceId: string;
  onCreated(conversationId: string): void;
  onClose(): void;
}) {
  const [title, setTitle] = useState("");
  const personas = usePersonaList();
  const [persona, setPersona] = useState(DEFAULT_PERSONA_ID);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api.createConversation(workspaceId, { title: title.trim() || "New conversation", persona });
      onCreated(created.id);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  }

  return (
    <Dialog title="New conversation" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Title</span>
          <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="What is it about?" maxLength={200} autoFocus />
        </label>
        <fieldset className="field personas">
          <legend>Who should the AI be?</legend>
          {personas.map((p) => (
            <label key={p.id} className="persona-option" style={{ "--chip": p.color } as CSSProperties}>
              <input type="radio" name="persona" value={p.id} checked={persona === p.id} onChange={() => setPersona(p.id)} />
              <span className="persona-option__name">{p.name}</span>
              <span className="persona-option__hint">{p.starters[0] ?? ""}</span>
            </label>
          ))}
        </fieldset>
        <FormFooter error={error} onCancel={onClose} submit="Create conversation" busyLabel="Creating…" busy={busy} />
      </form>
    </Dialog>
  );
}
