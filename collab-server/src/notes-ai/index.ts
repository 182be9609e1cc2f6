// The AI as a co-editor of the shared notes (SPEC NOTE-*): a server-side peer that takes the
// note edit requests people write into a conversation, streams its text into `notes` with
// its own caret, and honours stop; built on the same AiProvider as the chat AI peer.
export { createNotesAi, type NotesAi, type NotesAiOptions } from "./notes-ai";
export { INTERRUPTED_NOTE_EDIT, type NoteRunReport } from "./note-run";
