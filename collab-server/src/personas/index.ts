// A workspace's custom personas (SPEC AI-19): stored with the workspace, edited by its owners
// over HTTP, mirrored into the workspace index for the apps, and found by the AI peer.
export { createPersonas, type PersonaModels, type Personas, type PersonaView, type PersonasDeps } from "./personas";
export { personaRoutes } from "./routes";
