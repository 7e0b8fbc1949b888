import { useState, type FormEvent } from 'react';
import { signInWithSecret, startPkceSignIn, type Session } from '../lib/auth';
import type { ConsoleConfig } from '../lib/config';

/** Sign-in: a client id and secret locally, a choice of client for the hosted UI in AWS. */
export function SignInPage({ config, notice, onSignedIn }: { config: ConsoleConfig; notice?: string; onSignedIn: (session: Session) => void }) {
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (config.auth.mode !== 'client-credentials') return;
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signInWithSecret(config.auth, clientId.trim(), secret, window.location.href));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  const pkce = async (id: string) => {
    if (config.auth.mode !== 'pkce') return;
    setBusy(true);
    try {
      await startPkceSignIn(config.auth, id);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>mxflow console</h1>
      <p>Sign in to see your payments, or as the platform operator to run the platform.</p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {config.auth.mode === 'client-credentials' ? (
        <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
          <div className="field">
            <label htmlFor="client-id">Client id</label>
            <input id="client-id" name="client-id" autoComplete="username" required value={clientId} onChange={(event) => setClientId(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="client-secret">Client secret</label>
            <input
              id="client-secret"
              name="client-secret"
              type="password"
              autoComplete="current-password"
              required
              value={secret}
              onChange={(event) => setSecret(event.target.value)}
            />
          </div>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      ) : (
        <ul className="clients">
          {config.auth.clients.map((client) => (
            <li key={client.clientId}>
              <button type="button" className="primary" disabled={busy} onClick={() => void pkce(client.clientId)}>
                Sign in as {client.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error ? (
        <p id="sign-in-error" className="error" role="alert">
          {error}
        </p>
      ) : null}
    </main>
  );
}
