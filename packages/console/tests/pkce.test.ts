import { createHash } from 'node:crypto';
import { authorizeLocation, base64Url, codeChallenge, codeExchangeBody, randomToken, readCallback } from '../src/lib/pkce';

describe('PKCE of the hosted UI sign-in', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes verifiers of 43 base64url characters whose challenge is their SHA-256', async () => {
    const verifier = randomToken();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(verifier);
    expect(await codeChallenge(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('writes base64url without padding', () => {
    expect(base64Url(new Uint8Array([251, 255]))).toBe('-_8');
  });

  it('sends the browser to the authorization endpoint with the challenge and state', () => {
    const url = new URL(
      authorizeLocation({ authorizeUrl: 'https://auth.example/oauth2/authorize', clientId: 'abc', redirectUri: 'https://console.example/', scopes: ['payments/read', 'payments/write'], challenge: 'CH', state: 'ST' }),
    );
    expect(url.origin + url.pathname).toBe('https://auth.example/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'abc',
      redirect_uri: 'https://console.example/',
      scope: 'payments/read payments/write',
      state: 'ST',
      code_challenge: 'CH',
      code_challenge_method: 'S256',
    });
  });

  it('exchanges the code with the verifier', () => {
    expect(Object.fromEntries(codeExchangeBody({ code: 'C', clientId: 'abc', verifier: 'V', redirectUri: 'https://console.example/' }))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'abc',
      code: 'C',
      code_verifier: 'V',
      redirect_uri: 'https://console.example/',
    });
  });

  it('reads the code and state of the redirect and takes them out of the URL', () => {
    expect(readCallback('https://console.example/?code=C1&state=S1#/transactions')).toEqual({ code: 'C1', state: 'S1', cleaned: 'https://console.example/#/transactions' });
    expect(readCallback('https://console.example/?error=access_denied&error_description=no&state=S')).toMatchObject({ error: 'access_denied: no', cleaned: 'https://console.example/' });
    expect(readCallback('https://console.example/#/liquidity')).toEqual({ cleaned: 'https://console.example/#/liquidity' });
  });
});
