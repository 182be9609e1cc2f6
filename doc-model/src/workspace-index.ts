// The workspace index document (`ws/<wid>/index`): the live conversation list every sidebar
// shows. Only the server writes it; clients read it through these functions.
import * as Y from "yjs";
import { KEY } from "./keys";
import { DEFAULT_PERSONA_COLOR, PERSONA_LIMITS, isPersonaColor, isPersonaModel, type Persona } from "./personas";

export interface IndexEntry {
  id: string;
  docName: string;
  title: string;
  persona: string;
  createdAt: number;
  updatedAt: number;
  /** A short plain-text preview of the last message. */
  preview: string;
  lastAuthorName: string;
  messageCount: number;
}


function entries(doc: Y.Doc): Y.Map<IndexEntry> {
  return doc.getMap<IndexEntry>(KEY.conversations);
}

export function upsertIndexEntry(doc: Y.Doc, entry: IndexEntry): void {
  const current = entries(doc).get(entry.id);
  if (current && sameEntry(current, entry)) return;
  entries(doc).set(entry.id, entry);
}

/** Takes a conversation out of the list (an import that was rolled back). */
export function removeIndexEntry(doc: Y.Doc, id: string): void {
  if (entries(doc).has(id)) entries(doc).delete(id);
}

export function readIndexEntry(doc: Y.Doc, id: string): IndexEntry | undefined {
  return entries(doc).get(id);
}

/** Conversations, most recently active first. */
export function readIndex(doc: Y.Doc): IndexEntry[] {
  return [...entries(doc).values()].sort((a, b) => b.updatedAt - a.updatedAt);
}

export function observeIndex(doc: Y.Doc, onChange: () => void): () => void {
  const map = entries(doc);
  map.observe(onChange);
  return () => map.unobserve(onChange);
}

function sameEntry(a: IndexEntry, b: IndexEntry): boolean {
  return (Object.keys(b) as (keyof IndexEntry)[]).every((k) => a[k] === b[k]);
}

// The workspace's custom personas, mirrored here by the server from its store (SPEC AI-19), so
// every open app sees them change live and keeps them offline.
function personas(doc: Y.Doc): Y.Map<Persona> {
  return doc.getMap<Persona>(KEY.personas);
}

/** Makes the mirror equal `list`, touching only the personas that differ. */
export function syncIndexPersonas(doc: Y.Doc, list: readonly Persona[]): void {
  const map = personas(doc);
  const wanted = new Map(list.map((p) => [p.id, p]));
  for (const id of [...map.keys()]) if (!wanted.has(id)) map.delete(id);
  for (const [id, persona] of wanted) {
    const current = map.get(id);
    if (!current || JSON.stringify(current) !== JSON.stringify(persona)) map.set(id, persona);
  }
}

/**
 * The workspace's custom personas by name. Each is checked as read: the app puts the colour
 * into CSS, and anyone who could write the index could put anything there.
 */
export function readIndexPersonas(doc: Y.Doc): Persona[] {
  return [...personas(doc).entries()]
    .map(([id, value]) => readIndexPersona(id, value))
    .filter((p): p is Persona => p !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

/** One mirrored persona, bounded like the server's rules (SPEC AI-19); undefined without a name. */
export function readIndexPersona(id: string, value: unknown): Persona | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  const L = PERSONA_LIMITS;
  const name = bounded(v.name, L.name).trim();
  if (!name) return undefined;
  const starters = Array.isArray(v.starters) ? v.starters.filter((s): s is string => typeof s === "string").slice(0, L.starters).map((s) => s.slice(0, L.starter)) : [];
  const model = isPersonaModel(v.model) ? v.model : undefined;
  const temperature = typeof v.temperature === "number" && Number.isFinite(v.temperature) && v.temperature >= 0 && v.temperature <= L.temperature ? v.temperature : undefined;
  return {
    id,
    name,
    color: isPersonaColor(v.color) ? v.color : DEFAULT_PERSONA_COLOR,
    systemPrompt: bounded(v.systemPrompt, L.systemPrompt),
    starters,
    ...(model !== undefined ? { model } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
  };
}

function bounded(v: unknown, max: number): string {
  return typeof v === "string" ? v.slice(0, max) : "";
}

export function observeIndexPersonas(doc: Y.Doc, onChange: () => void): () => void {
  const map = personas(doc);
  map.observe(onChange);
  return () => map.unobserve(onChange);
}
