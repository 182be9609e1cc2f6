// Shapes of the HTTP API (DESIGN.md §3). Kept apart from the client so screens can import
// the types without pulling in fetch code.
import type { Persona, PersonaDraft } from "@junokit/doc-model";

export type WorkspaceRole = "owner" | "editor" | "viewer";

export const WORKSPACE_ROLES: readonly WorkspaceRole[] = ["owner", "editor", "viewer"];

export interface User {
  id: string;
  username: string;
  displayName: string;
}

export interface Session {
  token: string;
  user: User;
}

export interface WorkspaceSummary {
  id: string;
  name: string;
  role: WorkspaceRole;
}

export interface Me {
  user: User;
  workspaces: WorkspaceSummary[];
}

export interface Member {
  userId: string;
  username: string;
  displayName: string;
  role: WorkspaceRole;
}

export interface WorkspaceDetails extends WorkspaceSummary {
  members: Member[];
}

export interface CreatedConversation {
  id: string;
  docName: string;
}

export interface ConversationSummary {
  id: string;
  docName: string;
  title: string;
  persona: string;
  updatedAt: number;
}

/** A persona as `GET …/personas` lists it (SPEC AI-19). */
export interface WorkspacePersona extends Persona {
  builtIn: boolean;
}

/** `GET …/personas/models`: the models a persona may name (the server's AI_ALLOWED_MODELS). */
export interface PersonaModels {
  /** The server's AI_MODEL, asked when a persona names none. */
  defaultModel: string;
  models: string[];
  /** The operator allows any model (`*`): the form takes free text. */
  anyModel: boolean;
}

/** What an owner sends to create or replace a custom persona. */
export type PersonaInput = PersonaDraft;

/** True for roles that may write into conversations. */
export function canEdit(role: WorkspaceRole | undefined): boolean {
  return role === "owner" || role === "editor";
}
