// Pieces every form of the app ends with: the error it shows and its Cancel and submit buttons,
// written once so every dialog and panel reads and behaves the same.
export { FormFooter } from "./FormFooter";
