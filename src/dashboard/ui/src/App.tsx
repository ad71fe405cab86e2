// The dashboard: the session first (the login view when the server asks for a token), then
// the view of the location hash.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { SessionInfo } from '../../api-types.js';
import { api, ApiRequestError, messageOf } from './api.js';
import { TopBar } from './components/TopBar.js';
import { useRoute } from './use-route.js';
import { AppList } from './views/AppList.js';
import { AppView } from './views/AppView.js';
import { DiffView } from './views/DiffView.js';
import { Login } from './views/Login.js';

type SessionState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'signed-in'; readonly session: SessionInfo }
  | { readonly kind: 'login' }
  | { readonly kind: 'error'; readonly message: string };

export function App() {
  const [session, setSession] = useState<SessionState>({ kind: 'loading' });
  const load = useCallback(() => {
    api
      .session()
      .then((info) => {
        setSession({ kind: 'signed-in', session: info });
      })
      .catch((cause: unknown) => {
        setSession(cause instanceof ApiRequestError && cause.status === 401 ? { kind: 'login' } : { kind: 'error', message: messageOf(cause) });
      });
  }, []);
  useEffect(load, [load]);
  const signOut = useCallback(() => {
    api
      .logout()
      .catch(() => undefined)
      .finally(load);
  }, [load]);
  switch (session.kind) {
    case 'loading':
      return <div class="empty">Loading…</div>;
    case 'login':
      return <Login onSignedIn={load} />;
    case 'error':
      return (
        <div class="login">
          <div class="card login-card">
            <div class="error-box" data-testid="session-error">{session.message}</div>
            <button type="button" class="button" onClick={load}>
              Try again
            </button>
          </div>
        </div>
      );
    case 'signed-in':
      return (
        <>
          <TopBar session={session.session} onSignOut={signOut} />
          <main>
            <CurrentView />
          </main>
        </>
      );
  }
}

function CurrentView() {
  const route = useRoute();
  switch (route.view) {
    case 'list':
      return <AppList />;
    case 'app':
      return <AppView key={`${route.namespace}/${route.name}`} namespace={route.namespace} name={route.name} />;
    case 'diff':
      return <DiffView key={`${route.namespace}/${route.name}`} namespace={route.namespace} name={route.name} />;
  }
}
