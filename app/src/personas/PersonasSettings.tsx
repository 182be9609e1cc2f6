import { BUILT_IN_PERSONAS, DEFAULT_PERSONA_COLOR, PERSONA_LIMITS, personaProblems, type Persona, type PersonaDraft, type PersonaProblems } from "@junokit/doc-model";
import { useEffect, useState, type CSSProperties, type FormEvent } from "react";
import { describeError, type ApiClient, type PersonaModels, type WorkspaceRole } from "../api";
import { useCustomPersonas } from "./context";
import "./personas.css";
import { FormFooter } from "../forms";

/** The form's fields as typed: optional ones may be blank. */
interface Form {
  name: string;
  color: string;
  systemPrompt: string;
  model: string;
  temperature: string;
  starters: string;
}

const EMPTY: Form = { name: "", color: DEFAULT_PERSONA_COLOR, systemPrompt: "", model: "", temperature: "", starters: "" };

function formOf(p: Persona): Form {
  return {
    name: p.name,
    color: p.color,
    systemPrompt: p.systemPrompt,
    model: p.model ?? "",
    temperature: p.temperature === undefined ? "" : String(p.temperature),
    starters: p.starters.join("\n"),
  };
}

function draftOf(form: Form): PersonaDraft {
  const starters = form.starters.split("\n").map((s) => s.trim()).filter(Boolean);
  return {
    name: form.name,
    color: form.color,
    systemPrompt: form.systemPrompt,
    starters,
    ...(form.model.trim() ? { model: form.model.trim() } : {}),
    ...(form.temperature.trim() ? { temperature: Number(form.temperature) } : {}),
  };
}

/**
 * The workspace's personas (SPEC AI-19): the built-ins, and the custom ones owners create,
 * edit and delete here; everyone else sees them read-only. The list is the live mirror in the
 * workspace index, so a change shows up here once the server has stored it.
 */
export function PersonasSettings({ api, workspaceId, role }: { api: ApiClient; workspaceId: string; role: WorkspaceRole | undefined }) {
  const custom = useCustomPersonas();
  const owner = role === "owner";
  const [editing, setEditing] = useState<Persona | "new" | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function remove(persona: Persona) {
    setError(null);
    try {
      await api.deletePersona(workspaceId, persona.id);
    } catch (e) {
      setError(describeError(e));
    }
  }

  return (
    <section className="persona-settings" aria-label="Personas">
      <p className="muted small">
        Built in: {BUILT_IN_PERSONAS.map((p) => p.name).join(", ")}.{" "}
        {owner ? "Add your own: the AI answers with its prompt, model and temperature." : "Only owners can add or change personas."}
      </p>
      {custom.length === 0 && <p className="muted small">This workspace has no personas of its own yet.</p>}
      <ul className="persona-list">
        {custom.map((p) =>
          editing !== "new" && editing?.id === p.id ? (
            <li key={p.id}>
              <PersonaForm api={api} workspaceId={workspaceId} editing={p} taken={custom} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <PersonaRow key={p.id} persona={p} owner={owner} onEdit={() => setEditing(p)} onDelete={() => void remove(p)} />
          ),
        )}
      </ul>
      {error && <p className="form__error" role="alert">{error}</p>}
      {owner &&
        (editing === "new" ? (
          <PersonaForm api={api} workspaceId={workspaceId} editing={null} taken={custom} onDone={() => setEditing(null)} />
        ) : (
          <button type="button" className="button" onClick={() => setEditing("new")}>
            + New persona
          </button>
        ))}
    </section>
  );
}

function PersonaRow({ persona, owner, onEdit, onDelete }: { persona: Persona; owner: boolean; onEdit(): void; onDelete(): void }) {
  const [confirming, setConfirming] = useState(false);
  const tuning = [persona.model ?? "server's model", persona.temperature === undefined ? null : `temperature ${persona.temperature}`].filter(Boolean).join(" · ");
  return (
    <li className="persona-row" data-persona={persona.id}>
      <div className="persona-row__head">
        <span className="persona-chip" style={{ "--chip": persona.color } as CSSProperties}>
          {persona.name}
        </span>
        <span className="muted small persona-row__tuning">{tuning}</span>
      </div>
      <details className="persona-row__prompt">
        <summary className="small">System prompt</summary>
        <p className="small">{persona.systemPrompt}</p>
      </details>
      {owner && (
        <div className="persona-row__actions">
          <button type="button" className="button button--small" onClick={onEdit}>
            Edit
          </button>
          {confirming ? (
            <>
              <button type="button" className="button button--small button--danger" onClick={onDelete}>
                Delete {persona.name}
              </button>
              <button type="button" className="button button--small" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className="button button--small" onClick={() => setConfirming(true)} title="Its conversations are answered as Dev from then on">
              Delete
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function PersonaForm({
  api,
  workspaceId,
  editing,
  taken,
  onDone,
}: {
  api: ApiClient;
  workspaceId: string;
  editing: Persona | null;
  taken: readonly Persona[];
  onDone(): void;
}) {
  const [form, setForm] = useState<Form>(() => (editing ? formOf(editing) : EMPTY));
  const [problems, setProblems] = useState<PersonaProblems>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));
  const models = usePersonaModels(api, workspaceId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const draft = draftOf(form);
    const found = personaProblems(draft);
    const name = draft.name.trim().toLowerCase();
    if (!found.name && taken.some((p) => p.id !== editing?.id && p.name.toLowerCase() === name)) found.name = "another persona here has this name";
    setProblems(found);
    setError(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      if (editing) await api.replacePersona(workspaceId, editing.id, draft);
      else await api.createPersona(workspaceId, draft);
      onDone();
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  }

  const invalid = (field: keyof PersonaProblems) => (problems[field] ? { "aria-invalid": true as const } : {});
  const problem = (field: keyof PersonaProblems) =>
    problems[field] ? (
      <span className="field__error" role="alert">
        {problems[field]}
      </span>
    ) : null;
  return (
    <form className="form persona-form" onSubmit={submit} aria-label={editing ? `Edit ${editing.name}` : "New persona"} noValidate>
      <h3>{editing ? `Edit ${editing.name}` : "New persona"}</h3>
      <label className="field">
        <span>Name</span>
        <input name="persona-name" value={form.name} onChange={set("name")} maxLength={PERSONA_LIMITS.name + 10} {...invalid("name")} />
        {problem("name")}
      </label>
      <label className="field">
        <span>Colour</span>
        <input name="persona-color" type="color" value={form.color} onChange={set("color")} {...invalid("color")} />
        {problem("color")}
      </label>
      <label className="field">
        <span>System prompt</span>
        <textarea name="persona-prompt" rows={5} value={form.systemPrompt} onChange={set("systemPrompt")} placeholder="You are …, who …" {...invalid("systemPrompt")} />
        <span className="field__hint">
          {form.systemPrompt.trim().length} / {PERSONA_LIMITS.systemPrompt}
        </span>
        {problem("systemPrompt")}
      </label>
      <label className="field">
        <span>
          Model <em>(optional)</em>
        </span>
        {models && !models.anyModel ? (
          <select name="persona-model" value={form.model} onChange={set("model")} {...invalid("model")}>
            <option value="">the server's model ({models.defaultModel})</option>
            {models.models.filter((m) => m !== models.defaultModel).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
            {form.model && !models.models.includes(form.model) && <option value={form.model}>{form.model} (no longer allowed)</option>}
          </select>
        ) : (
          <input name="persona-model" value={form.model} onChange={set("model")} placeholder="the server's AI_MODEL" spellCheck={false} {...invalid("model")} />
        )}
        {problem("model")}
      </label>
      <label className="field">
        <span>
          Temperature <em>(optional, 0–{PERSONA_LIMITS.temperature})</em>
        </span>
        <input name="persona-temperature" type="number" inputMode="decimal" min={0} max={PERSONA_LIMITS.temperature} step={0.1} value={form.temperature} onChange={set("temperature")} placeholder="the model's default" {...invalid("temperature")} />
        {problem("temperature")}
      </label>
      <label className="field">
        <span>
          Starter prompts <em>(one a line, at most {PERSONA_LIMITS.starters})</em>
        </span>
        <textarea name="persona-starters" rows={3} value={form.starters} onChange={set("starters")} {...invalid("starters")} />
        {problem("starters")}
      </label>
      <FormFooter error={error} onCancel={onDone} submit={editing ? "Save persona" : "Create persona"} busyLabel="Saving…" busy={busy} />
    </form>
  );
}

/**
 * The models the server lets a persona name (AI_ALLOWED_MODELS), for the form's select; null
 * until known or when unreachable (the form then takes free text and the server decides).
 */
function usePersonaModels(api: ApiClient, workspaceId: string): PersonaModels | null {
  const [models, setModels] = useState<PersonaModels | null>(null);
  useEffect(() => {
    let live = true;
    api.personaModels(workspaceId).then((m) => live && setModels(m), () => undefined);
    return () => {
      live = false;
    };
  }, [api, workspaceId]);
  return models;
}
