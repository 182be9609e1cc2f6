import { useId, useState, type FormEvent } from "react";
import { describeError, type ApiClient } from "../api";
import { useStore } from "../connection";
import { signIn, signedOutReason } from "./session";
import { passwordProblem, usernameProblem } from "./validation";

type Mode = "signin" | "register";

/** Sign in or create an account; one form, two modes. */
export function AuthScreen({ api }: { api: ApiClient }) {
  const [mode, setMode] = useState<Mode>("signin");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);
  const reason = useStore(signedOutReason);
  const id = useId();

  const registering = mode === "register";
  const userHint = registering && touched ? usernameProblem(username) : null;
  const passHint = registering && touched ? passwordProblem(password) : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    setError(null);
    if (registering && (usernameProblem(username) || passwordProblem(password))) return;
    if (!username || !password) {
      setError("Enter your username and password.");
      return;
    }
    setBusy(true);
    try {
      const session = registering
        ? await api.register({ username, password, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) })
        : await api.login({ username, password });
      signIn(session);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  }

  function switchMode(next: Mode) {
    setMode(next);
    setError(null);
    setTouched(false);
  }

  return (
    <main className="auth">
      <div className="auth__card">
        <div className="auth__brand">
          <span className="logo" aria-hidden="true">J</span>
          <h1>JunoKit</h1>
        </div>
        <p className="auth__tagline">Your team and an AI, talking and writing together, live.</p>
        <div className="tabs" role="tablist" aria-label="Account">
          <button type="button" role="tab" aria-selected={!registering} className="tabs__tab" onClick={() => switchMode("signin")}>
            Sign in
          </button>
          <button type="button" role="tab" aria-selected={registering} className="tabs__tab" onClick={() => switchMode("register")}>
            Create account
          </button>
        </div>
        {reason && !error && <p className="notice notice--info">{reason}</p>}
        <form className="form" onSubmit={submit} noValidate aria-describedby={error ? `${id}-error` : undefined}>
          <label className="field">
            <span>Username</span>
            <input
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(registering ? e.target.value.toLowerCase() : e.target.value)}
              aria-invalid={Boolean(userHint)}
              required
              autoFocus
            />
            {registering && <small className={userHint ? "field__error" : "field__hint"}>{userHint ?? "3–32 lowercase letters, digits, . _ -"}</small>}
          </label>
          {registering && (
            <label className="field">
              <span>Display name <em>(optional)</em></span>
              <input name="displayName" autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={64} />
            </label>
          )}
          <label className="field">
            <span>Password</span>
            <input
              name="password"
              type="password"
              autoComplete={registering ? "new-password" : "current-password"}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={Boolean(passHint)}
              required
            />
            {registering && <small className={passHint ? "field__error" : "field__hint"}>{passHint ?? "At least 8 characters."}</small>}
          </label>
          {error && (
            <p className="form__error" role="alert" id={`${id}-error`}>
              {error}
            </p>
          )}
          <button className="button button--primary" type="submit" disabled={busy}>
            {busy ? "One moment…" : registering ? "Create account" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
