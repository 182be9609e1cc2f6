import type { onAuthenticatePayload } from "@hocuspocus/server";
import { parseDocName } from "@junokit/doc-model";
import type { Accounts } from "../auth";
import type { Store } from "../storage";
import { refusal, type CollabContext } from "./context";

/**
 * Decides, before any document is loaded, who may open which document and how:
 * conversations by workspace role (viewers read-only), the workspace index read-only for
 * members, an inbox only by its owner.
 */
export function createAccessControl(accounts: Accounts, store: Store) {
  return async function onAuthenticate(data: onAuthenticatePayload<CollabContext>): Promise<Partial<CollabContext>> {
    const address = parseDocName(data.documentName);
    if (!address) throw refusal("invalid document name");
    const user = data.token ? await accounts.authenticate(data.token) : null;
    if (!user) throw refusal("invalid or expired token", 4401);

    let role: CollabContext["role"];
    if (address.kind === "inbox") {
      if (address.userId !== user.id) throw refusal("this inbox belongs to someone else");
      role = "owner";
    } else {
      const found = await store.getRole(address.workspaceId, user.id);
      if (!found) throw refusal("not a member of this workspace");
      role = found;
      if (address.kind === "conversation" && !(await store.getConversation(address.workspaceId, address.conversationId))) {
        throw refusal("no such conversation");
      }
    }
    // The index is written by the server only; viewers read conversations.
    data.connectionConfig.readOnly = address.kind === "workspace-index" || role === "viewer";
    if (data.context.socket) data.context.socket.authenticated = true;
    return { user, role };
  };
}
