// A real OpenID Connect provider for the test suite: the npm package `oidc-provider`
// on the loopback, with one confidential client (PKCE required).
//
//   node peers/oidc_provider.mjs '{"clientId":"…","clientSecret":"…","redirectUri":"…"}'
//
// Prints one JSON line {"issuer": "http://127.0.0.1:PORT"} once it listens.
//
// There is no login form: the test says who signs in next, and how the ID token should
// come out, with GET /_test/next?account=EMAIL[&mode=…][&claims=JSON]:
//   mode=normal          the provider's own token (default)
//   mode=wrong_audience  re-signed with the provider's key, for another client
//   mode=expired         re-signed with the provider's key, expired an hour ago
//   mode=bad_signature   signed with a key the provider never published
// `claims` replaces the account's claims (default: email = the account, verified).
import Provider from 'oidc-provider';
import * as jose from 'jose';
import http from 'node:http';

const { clientId, clientSecret, redirectUri } = JSON.parse(process.argv[2] || '{}');
if (!clientId || !clientSecret || !redirectUri) {
  console.error('usage: oidc_provider.mjs \'{"clientId":…,"clientSecret":…,"redirectUri":…}\'');
  process.exit(2);
}

const KID = 'test-signing-key';
const signing = await jose.generateKeyPair('RS256', { extractable: true });
const stranger = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(signing.privateKey)), kid: KID, alg: 'RS256', use: 'sig' };

let next = { account: null, mode: 'normal' };
const claimsOf = new Map();

const server = http.createServer();
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['kyoritsu-test-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'upn'] },
  // The claims a scope asks for go into the ID token itself, as Entra ID and Okta do.
  conformIdTokenClaims: false,
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, ...(claimsOf.get(id) || { email: id, email_verified: true }) }),
  }),
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  renderError: async (ctx, out) => { ctx.type = 'json'; ctx.body = out; },
});

provider.use(async (ctx, nextMiddleware) => {
  if (ctx.path === '/_test/next') {
    const q = ctx.query;
    next = { account: q.account || null, mode: q.mode || 'normal' };
    if (q.account && q.claims) claimsOf.set(q.account, JSON.parse(q.claims));
    ctx.body = { ok: true };
    return;
  }
  if (ctx.path.startsWith('/interaction/')) {
    // Whoever the test named signs in and consents to what was asked.
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (!next.account) {
      ctx.status = 400;
      ctx.body = 'no account named for the next sign-in (GET /_test/next?account=…)';
      return;
    }
    const grant = new provider.Grant({ accountId: next.account, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    const to = await provider.interactionResult(ctx.req, ctx.res,
      { login: { accountId: next.account }, consent: { grantId } },
      { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(to);
    return;
  }
  await nextMiddleware();
  if (ctx.path === '/token' && ctx.status === 200 && next.mode !== 'normal' && ctx.body?.id_token) {
    const claims = jose.decodeJwt(ctx.body.id_token);
    const now = Math.floor(Date.now() / 1000);
    let key = signing.privateKey;
    if (next.mode === 'wrong_audience') claims.aud = 'another-client';
    if (next.mode === 'expired') { claims.iat = now - 7200; claims.exp = now - 3600; }
    if (next.mode === 'bad_signature') key = stranger.privateKey;
    ctx.body = {
      ...ctx.body,
      id_token: await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: KID }).sign(key),
    };
  }
});

server.on('request', provider.callback());
console.log(JSON.stringify({ issuer }));
// Whoever started us may stop reading standard output: the provider's own notices go
// to standard error.
console.log = console.info = console.warn = console.error;
process.on('SIGTERM', () => process.exit(0));
