import { startLocalOAuth, type LocalOAuth } from '@mxflow/local-oauth';
import { basicCredentials, logoutLocation, Role, roleOf, scopeClaim, signInWithSecret } from '../src/lib/auth';

// The local OAuth server of `pnpm dev`, in this process: the sign-in asks it for real tokens.
describe('signing in with a client id and secret', () => {
  let oauth: LocalOAuth;
  const audience = 'https://api.mxflow.local';
  const auth = { mode: 'client-credentials' as const, tokenUrl: '/oauth2/token', audience };

  beforeAll(async () => {
    oauth = await startLocalOAuth({
      audience,
      clients: [
        { clientId: 'alpha-bank', clientSecret: 'alpha secret', scopes: ['payments/write', 'payments/read'] },
        { clientId: 'platform-operator', clientSecret: 'operator-secret', scopes: ['payments/admin', 'payments/read'] },
        { clientId: 'reader', clientSecret: 'reader-secret', scopes: ['payments/read'] },
      ],
    });
  });
  afterAll(() => oauth?.stop());

  it('gives a participant payments/read and payments/write', async () => {
    const session = await signInWithSecret(auth, 'alpha-bank', 'alpha secret', oauth.issuer);
    expect([...session.scopes].sort()).toEqual(['payments/read', 'payments/write']);
    expect(session.role).toBe(Role.participant);
    expect(scopeClaim(session.accessToken).sort()).toEqual(['payments/read', 'payments/write']);
    expect(session.expiresAt).toBeGreaterThan(Date.now());
  });

  it('gives the platform operator payments/admin and payments/read', async () => {
    const session = await signInWithSecret(auth, 'platform-operator', 'operator-secret', oauth.issuer);
    expect([...session.scopes].sort()).toEqual(['payments/admin', 'payments/read']);
    expect(session.role).toBe(Role.operator);
  });

  it('gives a read-only client payments/read', async () => {
    expect((await signInWithSecret(auth, 'reader', 'reader-secret', oauth.issuer)).scopes).toEqual(['payments/read']);
  });

  it.each([
    ['a participant', 'alpha-bank', 'alpha secret'],
    ['the platform operator', 'platform-operator', 'operator-secret'],
  ])('signs %s in with one token request that succeeds', async (_who, clientId, secret) => {
    const statuses: number[] = [];
    // The real fetch, watched: every request the sign-in makes, and how it was answered.
    const watched: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      return response;
    };
    await signInWithSecret(auth, clientId, secret, oauth.issuer, watched);
    expect(statuses).toEqual([200]);
  });

  it('refuses a wrong secret', async () => {
    await expect(signInWithSecret(auth, 'alpha-bank', 'wrong', oauth.issuer)).rejects.toThrow('The client id or secret is wrong.');
  });
});

describe('roles and credentials', () => {
  it('makes an operator of payments/admin only', () => {
    expect(roleOf(['payments/read', 'payments/admin'])).toBe(Role.operator);
    expect(roleOf(['payments/read', 'payments/write'])).toBe(Role.participant);
  });

  it('form-encodes the id and secret before base64, as RFC 6749 asks', () => {
    expect(basicCredentials('a:b', 'p@ss word')).toBe(`Basic ${Buffer.from('a%3Ab:p%40ss%20word').toString('base64')}`);
  });

  it('reads no scopes from a token that is not a JWT', () => {
    expect(scopeClaim('opaque')).toEqual([]);
  });

  it('ends a hosted UI session with the client id and the way back', () => {
    const auth = { mode: 'pkce' as const, authorizeUrl: 'https://a/authorize', tokenUrl: 'https://a/token', logoutUrl: 'https://a/logout', redirectUri: 'https://c/', scopes: [], clients: [] };
    expect(logoutLocation(auth, 'c1')).toBe('https://a/logout?client_id=c1&logout_uri=https%3A%2F%2Fc%2F');
    expect(logoutLocation({ ...auth, logoutUrl: undefined }, 'c1')).toBeUndefined();
  });
});
