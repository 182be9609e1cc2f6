import type { Extension } from "@hocuspocus/server";
import {
  BUILT_IN_PERSONAS, DEFAULT_PERSONA_COLOR, PERSONA_LIMITS, builtInPersona, isBuiltInPersonaId, parseDocName, personaProblems, syncIndexPersonas,
  workspaceIndexDocName, type Persona, type PersonaDraft,
} from "@junokit/doc-model";
import { nanoid } from "nanoid";
import { modelAllowed, type AllowedModels } from "../ai";
import type { PublicUser } from "../auth";
import type { Logger } from "../log";
import { ConflictError, type PersonaRecord, type WorkspaceStore } from "../storage";
import { WorkspaceError, type DocumentWriter, type Workspaces } from "../workspaces";

export interface PersonaView extends Persona {
  builtIn: boolean;
}

/** A change of one field set: `null` clears the optional ones (model, temperature). */
export type PersonaPatch = { [K in keyof PersonaDraft]?: PersonaDraft[K] | null };

export interface PersonasDeps {
  store: WorkspaceStore;
  workspaces: Pick<Workspaces, "requireRole">;
  writer: DocumentWriter;
  logger: Logger;
  /** After a workspace's personas changed (the AI peer refreshes its presence). */
  onChange?(workspaceId: string): void;
  /** The models a persona may name (`AI_ALLOWED_MODELS`, always holding `defaultModel`). */
  allowedModels: AllowedModels;
  /** `AI_MODEL`: what a persona without an allowed model is asked with. */
  defaultModel: string;
}

/** What `GET …/personas/models` answers: the models a persona may name, or any (`*`). */
export interface PersonaModels {
  defaultModel: string;
  models: string[];
  anyModel: boolean;
}

/** Runs `job` after every earlier job under the same key has settled (per-workspace order). */
function queue() {
  const tails = new Map<string, Promise<unknown>>();
  return function inTurn<T>(key: string, job: () => Promise<T>): Promise<T> {
    const next = (tails.get(key) ?? Promise.resolve()).then(job);
    const settled = next.catch(() => undefined);
    tails.set(key, settled);
    void settled.then(() => tails.get(key) === settled && tails.delete(key));
    return next;
  };
}

export function createPersonas({ store, workspaces, writer, logger, onChange, allowedModels, defaultModel }: PersonasDeps) {
  // Mirrors of one workspace run one after another, so an older list never lands last.
  const mirrors = queue();
  // So do its writes: the name and count checks read the list the write then changes (SPEC AI-19).
  const writes = queue();

  /** Writes the workspace's stored personas into its index document (the apps read them there). */
  function mirror(workspaceId: string): Promise<void> {
    return mirrors(workspaceId, async () => {
      const list = (await store.listPersonas(workspaceId)).map(personaOf);
      await writer.change(workspaceIndexDocName(workspaceId), (doc) => syncIndexPersonas(doc, list));
    });
  }

  /** The store has the change: the mirror and the AI follow (a failed mirror heals at the next change). */
  async function changed(workspaceId: string): Promise<void> {
    await mirror(workspaceId).catch((err: unknown) => logger.error({ err, workspaceId }, "mirroring the personas into the workspace index failed"));
    onChange?.(workspaceId);
  }

  async function existing(workspaceId: string, id: string): Promise<PersonaRecord> {
    if (isBuiltInPersonaId(id)) throw new WorkspaceError("invalid", `${id} is a built-in persona; built-ins cannot be changed or deleted`);
    const record = await store.getPersona(workspaceId, id);
    if (!record) throw new WorkspaceError("not_found", `no persona ${id} in this workspace`);
    return record;
  }

  /** Checks a complete draft and refuses a name another persona of the workspace has. */
  async function checked(workspaceId: string, draft: PersonaDraft, self?: string): Promise<PersonaDraft> {
    const problems = Object.entries(personaProblems(draft));
    if (problems.length > 0) throw new WorkspaceError("invalid", problems.map(([field, problem]) => `${field}: ${problem}`).join("; "));
    const model = draft.model?.trim();
    if (model !== undefined && !modelAllowed(allowedModels, model)) {
      throw new WorkspaceError("invalid", `model: ${model} is not allowed on this server; allowed: ${(allowedModels as readonly string[]).join(", ")} (AI_ALLOWED_MODELS)`);
    }
    const name = draft.name.trim();
    const others = (await store.listPersonas(workspaceId)).filter((p) => p.id !== self);
    if (others.some((p) => p.name.toLowerCase() === name.toLowerCase())) throw new ConflictError(`this workspace already has a persona named ${name}`);
    if (!self && others.length >= PERSONA_LIMITS.perWorkspace) {
      throw new WorkspaceError("invalid", `a workspace has at most ${PERSONA_LIMITS.perWorkspace} custom personas; delete one first`);
    }
    return draft;
  }

  async function update(user: PublicUser, workspaceId: string, id: string, whole: (current: PersonaRecord) => PersonaDraft): Promise<PersonaView> {
    await workspaces.requireRole(user, workspaceId, "owner");
    const record = await writes(workspaceId, async () => {
      const current = await existing(workspaceId, id);
      const next = recordOf(await checked(workspaceId, whole(current), id), { ...current, updatedAt: Date.now() });
      await store.putPersona(next);
      return next;
    });
    logger.info({ workspaceId, personaId: id, userId: user.id }, "persona changed");
    await changed(workspaceId);
    return { ...personaOf(record), builtIn: false };
  }

  return {
    /** Mirrors the personas again whenever a workspace index loads: a failed mirror or a restored index heals (SPEC AI-19). */
    extension: {
      extensionName: "junokit-personas-mirror",
      async afterLoadDocument({ documentName }) {
        const address = parseDocName(documentName);
        if (address?.kind !== "workspace-index") return;
        // Not awaited: the mirror writes into this very document, which is still loading.
        void mirror(address.workspaceId).catch((err: unknown) => logger.error({ err, workspaceId: address.workspaceId }, "mirroring the personas into a loaded workspace index failed"));
      },
    } satisfies Extension,

    /** The models an owner may give a persona (any member may read them, for the form). */
    async models(user: PublicUser, workspaceId: string): Promise<PersonaModels> {
      await workspaces.requireRole(user, workspaceId, "viewer");
      return { defaultModel, models: allowedModels === "any" ? [defaultModel] : [...allowedModels], anyModel: allowedModels === "any" };
    },

    /** Built-ins first, then the workspace's own, oldest first (any member). */
    async list(user: PublicUser, workspaceId: string): Promise<PersonaView[]> {
      await workspaces.requireRole(user, workspaceId, "viewer");
      const custom = await store.listPersonas(workspaceId);
      return [...BUILT_IN_PERSONAS.map((p) => ({ ...p, builtIn: true })), ...custom.map((r) => ({ ...personaOf(r), builtIn: false }))];
    },

    async create(user: PublicUser, workspaceId: string, draft: PersonaDraft): Promise<PersonaView> {
      await workspaces.requireRole(user, workspaceId, "owner");
      const record = await writes(workspaceId, async () => {
        const input = await checked(workspaceId, { ...draft, color: draft.color || DEFAULT_PERSONA_COLOR });
        const now = Date.now();
        // 12 characters: never one of the short built-in ids.
        const created = recordOf(input, { id: nanoid(12), workspaceId, createdBy: user.id, createdAt: now, updatedAt: now });
        await store.putPersona(created);
        return created;
      });
      logger.info({ workspaceId, personaId: record.id, userId: user.id }, "persona created");
      await changed(workspaceId);
      return { ...personaOf(record), builtIn: false };
    },

    /** Replaces the fields given; `null` clears `model` or `temperature`. */
    update(user: PublicUser, workspaceId: string, id: string, patch: PersonaPatch): Promise<PersonaView> {
      return update(user, workspaceId, id, (current) => ({
        name: patch.name ?? current.name,
        color: patch.color ?? current.color,
        systemPrompt: patch.systemPrompt ?? current.systemPrompt,
        starters: patch.starters ?? current.starters,
        model: patch.model === null ? undefined : (patch.model ?? current.model),
        temperature: patch.temperature === null ? undefined : (patch.temperature ?? current.temperature),
      }));
    },

    /** Replaces the persona whole, as `create` makes one: what the draft leaves out is cleared or the default. */
    replace(user: PublicUser, workspaceId: string, id: string, draft: PersonaDraft): Promise<PersonaView> {
      return update(user, workspaceId, id, () => ({ ...draft, color: draft.color || DEFAULT_PERSONA_COLOR }));
    },

    /** Conversations using it are answered as the default persona from then on (SPEC AI-19). */
    async remove(user: PublicUser, workspaceId: string, id: string): Promise<void> {
      await workspaces.requireRole(user, workspaceId, "owner");
      await writes(workspaceId, async () => {
        await existing(workspaceId, id);
        await store.deletePersona(workspaceId, id);
      });
      logger.info({ workspaceId, personaId: id, userId: user.id }, "persona deleted");
      await changed(workspaceId);
    },

    /**
     * A built-in, or this workspace's own persona; never another workspace's. Looked up before
     * every reply: a model the operator no longer allows is dropped (AI_MODEL answers) and logged.
     */
    async find(workspaceId: string, id: string): Promise<Persona | undefined> {
      const builtIn = builtInPersona(id);
      if (builtIn) return builtIn;
      const record = await store.getPersona(workspaceId, id);
      if (!record) return undefined;
      const { model, ...persona } = personaOf(record);
      if (model === undefined || modelAllowed(allowedModels, model)) return personaOf(record);
      logger.warn({ workspaceId, personaId: id, model, defaultModel }, "a persona names a model AI_ALLOWED_MODELS no longer allows; answering with AI_MODEL");
      return persona;
    },
  };
}

export type Personas = ReturnType<typeof createPersonas>;

function recordOf(draft: PersonaDraft, base: Pick<PersonaRecord, "id" | "workspaceId" | "createdBy" | "createdAt" | "updatedAt">): PersonaRecord {
  return {
    id: base.id,
    workspaceId: base.workspaceId,
    name: draft.name.trim(),
    color: draft.color.toLowerCase(),
    systemPrompt: draft.systemPrompt.trim(),
    starters: (draft.starters ?? []).map((s) => s.trim()),
    ...(draft.model !== undefined ? { model: draft.model.trim() } : {}),
    ...(draft.temperature !== undefined ? { temperature: draft.temperature } : {}),
    createdBy: base.createdBy,
    createdAt: base.createdAt,
    updatedAt: base.updatedAt,
  };
}

/** The persona as the AI and the apps see it (no bookkeeping fields). */
function personaOf(r: PersonaRecord): Persona {
  return {
    id: r.id, name: r.name, color: r.color, systemPrompt: r.systemPrompt, starters: r.starters,
    ...(r.model !== undefined ? { model: r.model } : {}),
    ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
  };
}
