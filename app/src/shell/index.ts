// The frame of the signed-in app: layout (sidebar drawer, main, members panel) and the switch
// between the sign-in screen and the workspace.
export { App } from "./App";
