// The bar at the top of every view: the product, the user, and Sign out in token mode.
import type { SessionInfo } from '../../../api-types.js';
import { listHref } from '../routes.js';

export function TopBar({ session, onSignOut }: { readonly session: SessionInfo; readonly onSignOut: () => void }) {
  return (
    <header class="topbar">
      <a class="brand" href={listHref}>
        <span class="logo" aria-hidden="true" />
        Capstan
      </a>
      <span class="spacer" />
      <span class="user" data-testid="user" title={session.mode === 'local' ? "The server's own kubeconfig" : 'Signed in with a token'}>
        {session.user}
      </span>
      {session.mode === 'token' ? (
        <button type="button" class="button small ghost" data-testid="sign-out" onClick={onSignOut}>
          Sign out
        </button>
      ) : null}
    </header>
  );
}
