// Document names are part of the wire contract (DESIGN.md §4). Everything that builds or
// parses one goes through here, so the grammar is enforced in one place.

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type DocAddress =
  | { kind: "conversation"; workspaceId: string; conversationId: string }
  | { kind: "workspace-index"; workspaceId: string }
  | { kind: "inbox"; userId: string };

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function conversationDocName(workspaceId: string, conversationId: string): string {
  return `ws/${requireId(workspaceId)}/conv/${requireId(conversationId)}`;
}

export function workspaceIndexDocName(workspaceId: string): string {
  return `ws/${requireId(workspaceId)}/index`;
}

export function inboxDocName(userId: string): string {
  return `user/${requireId(userId)}/inbox`;
}

/** Parses a document name; anything outside the grammar yields null. */
export function parseDocName(name: string): DocAddress | null {
  const parts = name.split("/");
  if (parts.some((p) => !isValidId(p))) return null;
  const [a, b, c, d] = parts;
  if (parts.length === 4 && a === "ws" && c === "conv") {
    return { kind: "conversation", workspaceId: b!, conversationId: d! };
  }
  if (parts.length === 3 && a === "ws" && c === "index") {
    return { kind: "workspace-index", workspaceId: b! };
  }
  if (parts.length === 3 && a === "user" && c === "inbox") {
    return { kind: "inbox", userId: b! };
  }
  return null;
}

function requireId(id: string): string {
  if (!isValidId(id)) throw new Error(`invalid id: ${JSON.stringify(id).slice(0, 80)}`);
  return id;
}
