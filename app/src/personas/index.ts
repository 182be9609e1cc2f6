// Personas in the app (SPEC AI-19): the workspace's custom personas, read live from the
// workspace index and shared through context, and the settings where owners edit them.
export { PersonasProvider, usePersona, usePersonaList, useCustomPersonas, useWorkspacePersonas } from "./context";
export { PersonasSettings } from "./PersonasSettings";
