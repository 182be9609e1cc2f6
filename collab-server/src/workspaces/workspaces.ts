import { conversationDocName, DEFAULT_PERSONA_ID, isBuiltInPersonaId, PERSONA_IDS, writeMeta, type AiMode } from "@junokit/doc-model";
import { nanoid } from "nanoid";
import type * as Y from "yjs";
import type { PublicUser } from "../auth";
import type { Role, Store } from "../storage";

/** Writes into a live document as the server; implemented by the collab layer. */
export interface DocumentWriter {
  change(docName: string, fn: (doc: Y.Doc) => void): Promise<void>;
}

export class WorkspaceError extends Error {
  constructor(readonly code: "not_found" | "forbidden" | "invalid", message: string) {
    super(message);
    this.name = "WorkspaceError";
  }
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };

export function atLeast(role: Role | null, needed: Role): boolean {
  return role !== null && RANK[role] >= RANK[needed];
}

export interface WorkspaceView {
  id: string;
  name: string;
  role: Role;
}

export interface MemberView {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
}

/** Domain events the composition root may listen to (notifications); listeners do not throw. */
export interface WorkspaceEvents {
  memberAdded?(workspaceId: string, userId: string, role: Role, by: PublicUser): Promise<void>;
}

export function createWorkspaces(store: Store, documents: DocumentWriter, events: WorkspaceEvents = {}) {
  /** The caller's role, or an error that does not reveal whether a foreign workspace exists. */
  async function requireRole(user: PublicUser, workspaceId: string, needed: Role): Promise<Role> {
    const role = await store.getRole(workspaceId, user.id);
    if (role === null) throw new WorkspaceError("not_found", "no such workspace, or you are not a member");
    if (!atLeast(role, needed)) throw new WorkspaceError("forbidden", `this needs the ${needed} role; you are ${role}`);
    return role;
  }

  return {
    requireRole,

    async list(user: PublicUser): Promise<WorkspaceView[]> {
      return (await store.listWorkspacesOf(user.id)).map((w) => ({ id: w.id, name: w.name, role: w.role }));
    },

    async create(user: PublicUser, name: string): Promise<WorkspaceView> {
      const workspace = { id: nanoid(12), name, createdBy: user.id, createdAt: Date.now() };
      await store.createWorkspace(workspace, user.id);
      return { id: workspace.id, name, role: "owner" };
    },

    async describe(user: PublicUser, workspaceId: string): Promise<WorkspaceView & { members: MemberView[] }> {
      const role = await requireRole(user, workspaceId, "viewer");
      const workspace = await store.getWorkspace(workspaceId);
      if (!workspace) throw new WorkspaceError("not_found", "no such workspace");
      const members = await Promise.all(
        (await store.listMembers(workspaceId)).map(async (m) => {
          const u = await store.getUserById(m.userId);
          return { userId: m.userId, username: u?.username ?? "", displayName: u?.displayName ?? "", role: m.role };
        }),
      );
      return { id: workspace.id, name: workspace.name, role, members };
    },

    async setMember(user: PublicUser, workspaceId: string, username: string, role: Role): Promise<MemberView> {
      await requireRole(user, workspaceId, "owner");
      const target = await store.getUserByUsername(username);
      if (!target) throw new WorkspaceError("not_found", `no user named ${username}`);
      if (target.id === user.id && role !== "owner") {
        const owners = (await store.listMembers(workspaceId)).filter((m) => m.role === "owner");
        if (owners.length === 1) throw new WorkspaceError("invalid", "a workspace needs at least one owner");
      }
      const before = await store.getRole(workspaceId, target.id);
      await store.setMembership({ workspaceId, userId: target.id, role });
      if (before === null) await events.memberAdded?.(workspaceId, target.id, role, user);
      return { userId: target.id, username: target.username, displayName: target.displayName, role };
    },

    async createConversation(user: PublicUser, workspaceId: string, input: { title?: string | undefined; persona?: string | undefined; ai?: AiMode | undefined }) {
      await requireRole(user, workspaceId, "editor");
      const persona = input.persona ?? DEFAULT_PERSONA_ID;
      // A built-in, or one of this workspace's own (SPEC AI-19); never another workspace's.
      if (!isBuiltInPersonaId(persona) && !(await store.getPersona(workspaceId, persona))) {
        throw new WorkspaceError("invalid", `persona: unknown persona ${persona}; one of ${PERSONA_IDS.join(", ")} or a custom persona of this workspace`);
      }
      const now = Date.now();
      const record = { id: nanoid(16), workspaceId, title: input.title?.trim() || "New conversation", persona, createdBy: user.id, createdAt: now, updatedAt: now };
      await store.createConversation(record);
      const docName = conversationDocName(workspaceId, record.id);
      await documents.change(docName, (doc) =>
        writeMeta(doc, { title: record.title, persona, ai: input.ai ?? "auto", createdAt: now, createdBy: user.id }),
      );
      return { id: record.id, docName };
    },

    async listConversations(user: PublicUser, workspaceId: string) {
      await requireRole(user, workspaceId, "viewer");
      return (await store.listConversations(workspaceId)).map((c) => ({
        id: c.id,
        docName: conversationDocName(workspaceId, c.id),
        title: c.title,
        persona: c.persona,
        updatedAt: c.updatedAt,
      }));
    },
  };
}

export type Workspaces = ReturnType<typeof createWorkspaces>;
