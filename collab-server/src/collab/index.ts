// The realtime layer: Hocuspocus behind JunoKit's rules — who may open which document,
// durable appends before acknowledgement, honest authorship and presence, the live index.
export { createCollab, COLLAB_PATH, type Collab, type CollabOptions } from "./collab";
export { SERVER_ORIGIN, personOf, type CollabContext } from "./context";
export { attachToConversations, type ConversationAttachment, type ConversationAt } from "./conversation-attachments";
