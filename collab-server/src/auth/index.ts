// Accounts and sessions: scrypt password hashes, JWT session tokens, failed-login limits.
// HTTP and the collab layer authenticate people only through `Accounts`.
export { createAccounts, publicUser, usernameSchema, passwordSchema, displayNameSchema, type Accounts, type PublicUser, type AuthFailure } from "./accounts";
export { createTokenIssuer, type TokenIssuer } from "./tokens";
export { loadJwtSecret } from "./secret";
