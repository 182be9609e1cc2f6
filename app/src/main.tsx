// Entry point: mounts the app. Everything heavy (code highlighting, later the notes editor)
// is loaded with import() by the feature that needs it.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./shell";
import "./styles.css";
import "./offline.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
