// The account rules of DESIGN.md §3, checked before sending so mistakes show at once.
export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;
export const MIN_PASSWORD = 8;

export function usernameProblem(username: string): string | null {
  if (USERNAME_PATTERN.test(username)) return null;
  if (username.length < 3) return "Usernames have at least 3 characters.";
  if (username.length > 32) return "Usernames have at most 32 characters.";
  return "Use only lowercase letters, digits, dot, dash and underscore.";
}

export function passwordProblem(password: string): string | null {
  return password.length >= MIN_PASSWORD ? null : `Passwords have at least ${MIN_PASSWORD} characters.`;
}
