// Personas (DESIGN.md §5): the five built-ins, and the rules for the custom ones a workspace
// defines (SPEC AI-19). The AI peer uses the prompt, model and temperature; the app uses the
// label, colour and starters.

export interface Persona {
  id: string;
  name: string;
  color: string;
  systemPrompt: string;
  starters: string[];
  /** Custom personas: the model to ask instead of the server's AI_MODEL. */
  model?: string;
  /** Custom personas: the sampling temperature sent upstream (0–2). */
  temperature?: number;
}

/** A custom persona's colour when none is given (SPEC AI-19). */
export const DEFAULT_PERSONA_COLOR = "#0f766e";

/** What a conversation with an unknown persona (deleted, or another workspace's) is answered as. */
export const DEFAULT_PERSONA_ID = "dev";

export const BUILT_IN_PERSONAS: readonly Persona[] = [
  {
    id: "dev",
    name: "Dev",
    color: "#2563eb",
    systemPrompt:
      "You are Dev, a senior software engineer on this team. Answer with precise, working code and short explanations. Prefer concrete steps over theory, name trade-offs, and say when you are unsure.",
    starters: ["Review this function for bugs", "Explain this stack trace", "Sketch a design for…"],
  },
  {
    id: "ops",
    name: "Ops",
    color: "#d97706",
    systemPrompt:
      "You are Ops, a calm site-reliability engineer. Think about blast radius, rollback and observability first. Give runnable commands, and warn before anything destructive.",
    starters: ["Write a runbook for…", "Why is this service slow?", "Plan a zero-downtime migration"],
  },
  {
    id: "qa",
    name: "QA",
    color: "#059669",
    systemPrompt:
      "You are QA, a meticulous test engineer. Look for edge cases, failure modes and missing checks. Answer with test cases, reproduction steps and clear expected results.",
    starters: ["List edge cases for…", "Write a test plan for…", "How could this fail?"],
  },
  {
    id: "sales",
    name: "Sales",
    color: "#db2777",
    systemPrompt:
      "You are Sales, a consultative account executive. Be warm, concise and concrete about customer value. Draft emails and talking points that are honest and never overpromise.",
    starters: ["Draft a follow-up email", "Handle this objection", "Summarise this call"],
  },
  {
    id: "media",
    name: "Media",
    color: "#7c3aed",
    systemPrompt:
      "You are Media, a creative editor and copywriter. Write vivid, clear copy in the requested voice, offer a few alternatives, and keep headlines short.",
    starters: ["Write three headlines for…", "Turn this into a post", "Edit this for tone"],
  },
];

export const PERSONA_IDS = BUILT_IN_PERSONAS.map((p) => p.id);

export function builtInPersona(id: string): Persona | undefined {
  return BUILT_IN_PERSONAS.find((p) => p.id === id);
}

export function isBuiltInPersonaId(id: string): boolean {
  return PERSONA_IDS.includes(id);
}

/**
 * The persona a conversation's `meta.persona` names, among the built-ins and its workspace's
 * own; anything else (a deleted persona, another workspace's) is the default (SPEC AI-19).
 */
export function resolvePersona(id: string, custom: readonly Persona[] = []): Persona {
  return builtInPersona(id) ?? custom.find((p) => p.id === id) ?? builtInPersona(DEFAULT_PERSONA_ID)!;
}

/** Bounds of a custom persona's fields (SPEC AI-19), checked by the server and the app alike. */
export const PERSONA_LIMITS = {
  name: 40,
  systemPrompt: 8000,
  model: 200,
  starters: 5,
  starter: 200,
  temperature: 2,
  perWorkspace: 50,
} as const;

/** A custom persona as a person writes it; `model` and `temperature` may be left out. */
export interface PersonaDraft {
  name: string;
  color: string;
  systemPrompt: string;
  starters?: string[] | undefined;
  model?: string | undefined;
  temperature?: number | undefined;
}

export type PersonaProblems = Partial<Record<keyof PersonaDraft, string>>;

const COLOR = /^#[0-9a-fA-F]{6}$/;
const MODEL = /^[^\s]+$/;

/** A colour the app may put into CSS: `#rrggbb`. */
export function isPersonaColor(value: unknown): value is string {
  return typeof value === "string" && COLOR.test(value);
}

/** A model name as a persona may carry it: no spaces, within the bound. */
export function isPersonaModel(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= PERSONA_LIMITS.model && MODEL.test(value);
}

/** What is wrong with a draft, field by field, in words; {} when it is fine. */
export function personaProblems(draft: PersonaDraft): PersonaProblems {
  const L = PERSONA_LIMITS;
  const problems: PersonaProblems = {};
  const name = draft.name.trim();
  if (!name) problems.name = "give the persona a name";
  else if (name.length > L.name) problems.name = `at most ${L.name} characters`;
  else if (isBuiltInPersonaId(name.toLowerCase()) || BUILT_IN_PERSONAS.some((p) => p.name.toLowerCase() === name.toLowerCase())) {
    problems.name = `${name} is a built-in persona; pick another name`;
  }
  if (!COLOR.test(draft.color)) problems.color = "a colour like #2563eb";
  const prompt = draft.systemPrompt.trim();
  if (!prompt) problems.systemPrompt = "say who the AI should be (the system prompt)";
  else if (prompt.length > L.systemPrompt) problems.systemPrompt = `at most ${L.systemPrompt} characters`;
  if (draft.model !== undefined) {
    const model = draft.model.trim();
    if (!model || model.length > L.model || !MODEL.test(model)) problems.model = `a model name without spaces, at most ${L.model} characters (or leave it empty for the server's AI_MODEL)`;
  }
  if (draft.temperature !== undefined && !(Number.isFinite(draft.temperature) && draft.temperature >= 0 && draft.temperature <= L.temperature)) {
    problems.temperature = `a number from 0 to ${L.temperature}`;
  }
  const starters = draft.starters ?? [];
  if (starters.length > L.starters) problems.starters = `at most ${L.starters} starters`;
  else if (starters.some((s) => !s.trim() || s.trim().length > L.starter)) problems.starters = `each starter is 1–${L.starter} characters`;
  return problems;
}
