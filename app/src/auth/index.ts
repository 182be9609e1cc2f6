// Accounts in the browser: the sign-in and registration screen, and the session kept in
// localStorage so a reload stays signed in.
export { AuthScreen } from "./AuthScreen";
export { cachedMe, forgetUser, rememberMe, sessionStore, signIn, signOut, signedOutReason, storedSession } from "./session";
export { passwordProblem, usernameProblem, USERNAME_PATTERN } from "./validation";
