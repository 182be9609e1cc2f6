// Shared notes beside the chat (SPEC NOTE-*): a Tiptap editor on the conversation's `notes`,
// loaded lazily, with everyone's carets, a focused toolbar, and the AI as a co-editor.
export { NotesPanel, NotesToggle } from "./NotesPanel";
export { hexColor } from "./color";
