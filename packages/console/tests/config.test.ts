import { parseConfig } from '../src/lib/config';

describe('config.json', () => {
  it('reads the local client-credentials form with the same origin', () => {
    expect(parseConfig({ apiUrl: '', auth: { mode: 'client-credentials', tokenUrl: '/oauth2/token', audience: 'https://api.mxflow.local' } })).toEqual({
      apiUrl: '',
      auth: { mode: 'client-credentials', tokenUrl: '/oauth2/token', audience: 'https://api.mxflow.local' },
    });
  });

  it('reads the hosted UI form, dropping a trailing slash of the API URL', () => {
    const config = parseConfig({
      apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/',
      auth: {
        mode: 'pkce',
        authorizeUrl: 'https://auth.example/oauth2/authorize',
        tokenUrl: 'https://auth.example/oauth2/token',
        logoutUrl: 'https://auth.example/logout',
        redirectUri: 'https://console.example/',
        scopes: ['payments/read'],
        clients: [{ label: 'Alpha Bank AG', clientId: 'c1' }],
      },
    });
    expect(config.apiUrl).toBe('https://abc.execute-api.eu-west-1.amazonaws.com');
    expect(config.auth).toMatchObject({ mode: 'pkce', clients: [{ label: 'Alpha Bank AG', clientId: 'c1' }], logoutUrl: 'https://auth.example/logout' });
  });

  it.each([
    [null, 'config.json must hold a JSON object'],
    [{ apiUrl: '' }, 'config.auth must be an object'],
    [{ auth: { mode: 'magic' } }, "config.auth.mode must be 'client-credentials' or 'pkce', not \"magic\""],
    [{ auth: { mode: 'client-credentials', tokenUrl: '/t' } }, 'config.auth.audience must be a string'],
    [{ auth: { mode: 'pkce', authorizeUrl: 'a', tokenUrl: 't', redirectUri: 'r', scopes: [], clients: [] } }, 'config.auth.clients must list at least one client'],
    [{ auth: { mode: 'pkce', authorizeUrl: 'a', tokenUrl: 't', redirectUri: 'r', scopes: [], clients: [{ label: 'x' }] } }, 'config.auth.clients[0].clientId must be a string'],
  ])('refuses %j naming the field', (value, message) => {
    expect(() => parseConfig(value)).toThrow(message);
  });
});
