// Sign-in of token mode: a Kubernetes bearer token the server then acts with.
import { useState } from 'preact/hooks';
import { api, messageOf } from '../api.js';

export function Login({ onSignedIn }: { readonly onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = (event: Event): void => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    api
      .login(token.trim())
      .then(() => {
        onSignedIn();
      })
      .catch((cause: unknown) => {
        setError(messageOf(cause));
      })
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <div class="login">
      <form class="card login-card" onSubmit={submit}>
        <div class="brand big">
          <span class="logo" aria-hidden="true" />
          Capstan
        </div>
        <p class="muted">Sign in with a Kubernetes bearer token. The dashboard acts with your own permissions.</p>
        <label class="field">
          <span>Token</span>
          <textarea
            data-testid="login-token"
            rows={5}
            spellcheck={false}
            autoComplete="off"
            value={token}
            onInput={(event) => {
              setToken(event.currentTarget.value);
            }}
          />
        </label>
        {error === undefined ? null : <div class="error-box" data-testid="login-error">{error}</div>}
        <button type="submit" class="button primary" data-testid="login-submit" disabled={busy || token.trim() === ''}>
          Sign in
        </button>
        <p class="muted small">
          A dashboard started on your own machine (<code>capstan dashboard</code>) signs in through the one-time URL it printed instead.
        </p>
      </form>
    </div>
  );
}
