import { builtInPersona, type Persona } from "@junokit/doc-model";
import type { AiProvider, CompletionRequest } from "./provider";

/** A built-in or that workspace's own persona; undefined for anything else (SPEC AI-19). */
export type PersonaFinder = (workspaceId: string, personaId: string) => Promise<Persona | undefined>;

export const builtInPersonasOnly: PersonaFinder = async (_workspaceId, personaId) => builtInPersona(personaId);

/** The models a custom persona may name (`AI_ALLOWED_MODELS`): a list, or "any" when the operator set `*`. */
export type AllowedModels = readonly string[] | "any";

export function modelAllowed(allowed: AllowedModels, model: string): boolean {
  return allowed === "any" || allowed.includes(model);
}

/**
 * How to ask the provider as `persona` (SPEC AI-19): its model when the provider lets a request
 * pick one and still allows that model (the list may have shrunk since the persona was saved),
 * and its temperature. `model` is what the reply records as its model.
 */
export function askingAs(provider: AiProvider, persona: Persona): { model: string; request: Pick<CompletionRequest, "model" | "temperature"> } {
  const described = provider.describe();
  const own = persona.model && described.modelPerRequest && modelAllowed(described.allowedModels ?? "any", persona.model) ? persona.model : undefined;
  return {
    model: own ?? described.model,
    request: { ...(own ? { model: own } : {}), ...(persona.temperature !== undefined ? { temperature: persona.temperature } : {}) },
  };
}
