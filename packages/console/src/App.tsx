import { useCallback, useEffect, useMemo, useState } from 'react';
import { ConsoleContext, type ConsoleContextValue } from './context';
import { Api } from './lib/api';
import { finishPkceSignIn, logoutLocation, Role, Scope, type Session } from './lib/auth';
import type { ConsoleConfig } from './lib/config';
import { hrefOf, parseRoute, type Route } from './lib/routes';
import { DeadLettersPage } from './pages/DeadLetters';
import { LiquidityPage } from './pages/Liquidity';
import { ParticipantsPage } from './pages/Participants';
import { ReconciliationPage } from './pages/Reconciliation';
import { SignInPage } from './pages/SignIn';
import { SubmitPage } from './pages/Submit';
import { TransactionPage } from './pages/Transaction';
import { TransactionsPage } from './pages/Transactions';

function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const changed = () => setHash(window.location.hash);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return useMemo(() => parseRoute(hash), [hash]);
}

/** The API's base URL: the configured one, or the page's own origin. */
function apiBase(config: ConsoleConfig): string {
  return config.apiUrl || window.location.origin;
}

interface NavItem {
  readonly route: Route;
  readonly label: string;
}

function navigation(session: Session): NavItem[] {
  const items: NavItem[] = [
    { route: { page: 'transactions' }, label: 'Transactions' },
    { route: { page: 'liquidity' }, label: 'Liquidity' },
  ];
  if (session.role === Role.operator) {
    items.push(
      { route: { page: 'dead-letters' }, label: 'Dead letters' },
      { route: { page: 'participants' }, label: 'Participants' },
      { route: { page: 'reconciliation' }, label: 'Reconciliation' },
    );
  }
  if (session.scopes.includes(Scope.write)) items.push({ route: { page: 'submit' }, label: 'Submit' });
  return items;
}

function Page({ route, session }: { route: Route; session: Session }) {
  const operator = session.role === Role.operator;
  switch (route.page) {
    case 'transaction':
      return <TransactionPage key={route.id} id={route.id} />;
    case 'liquidity':
      return <LiquidityPage />;
    case 'dead-letters':
      return operator ? <DeadLettersPage /> : <Forbidden />;
    case 'participants':
      return operator ? <ParticipantsPage /> : <Forbidden />;
    case 'reconciliation':
      return operator ? <ReconciliationPage /> : <Forbidden />;
    case 'submit':
      return session.scopes.includes(Scope.write) ? <SubmitPage /> : <Forbidden />;
    default:
      return <TransactionsPage />;
  }
}

function Forbidden() {
  return (
    <section>
      <h1>Not available</h1>
      <p>This page is for another role than the one you signed in with.</p>
    </section>
  );
}

/** The console: sign-in, then the pages of the signed-in role. */
export function App({ config }: { config: ConsoleConfig }) {
  const [session, setSession] = useState<Session>();
  const [notice, setNotice] = useState<string>();
  const [announcement, setAnnouncement] = useState('');
  const [returning, setReturning] = useState(config.auth.mode === 'pkce');
  const route = useRoute();

  useEffect(() => {
    if (config.auth.mode !== 'pkce') return;
    finishPkceSignIn(config.auth).then(
      (finished) => {
        if (finished) setSession(finished);
        setReturning(false);
      },
      (error: unknown) => {
        setNotice(error instanceof Error ? error.message : String(error));
        setReturning(false);
      },
    );
  }, [config]);

  // A token past its lifetime is no good: back to sign-in before the API says so.
  useEffect(() => {
    if (!session?.expiresAt) return undefined;
    const timer = window.setTimeout(() => {
      setSession(undefined);
      setNotice('Your session has expired. Please sign in again.');
    }, Math.max(0, session.expiresAt - Date.now() - 5_000));
    return () => window.clearTimeout(timer);
  }, [session]);

  const signOut = useCallback(
    (message?: string) => {
      const ending = session;
      setSession(undefined);
      setNotice(message);
      if (!message && ending && config.auth.mode === 'pkce') {
        const location = logoutLocation(config.auth, ending.clientId);
        if (location) window.location.assign(location);
      }
    },
    [config, session],
  );

  const context = useMemo<ConsoleContextValue | null>(() => {
    if (!session) return null;
    const api = new Api({
      baseUrl: apiBase(config),
      token: session.accessToken,
      onUnauthorized: () => {
        setSession(undefined);
        setNotice('Your session has ended. Please sign in again.');
      },
    });
    return { api, session, config, announce: (message: string) => {
        // Emptied first, so that the same words said twice are read twice.
        setAnnouncement('');
        window.setTimeout(() => setAnnouncement(message), 50);
      },
    };
  }, [config, session]);

  if (returning) return <p className="sign-in">Signing in…</p>;
  if (!session || !context) return <SignInPage config={config} notice={notice} onSignedIn={(started) => (setNotice(undefined), setSession(started))} />;

  const items = navigation(session);
  const current = route.page === 'transaction' ? 'transactions' : route.page;
  return (
    <ConsoleContext.Provider value={context}>
      <a className="skip" href="#main" onClick={(event) => (event.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <span className="brand">mxflow console</span>
        <nav aria-label="Main">
          <ul>
            {items.map((item) => (
              <li key={item.route.page}>
                <a href={hrefOf(item.route)} aria-current={current === item.route.page ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span data-testid="signed-in-as">
            {session.clientId} · {session.role === Role.operator ? 'platform operator' : 'participant'}
          </span>
          <button type="button" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} session={session} />
      </main>
      <div className="visually-hidden" aria-live="polite" role="status">
        {announcement}
      </div>
    </ConsoleContext.Provider>
  );
}
