// Receiving the citizen card: the OpenID4VCI 1.0 pre-authorized code flow
// with a PIN, run in the browser. The wallet makes one non-extractable key
// per card of the batch, proves it holds each, and stores every card with
// its key; the access token is DPoP-bound where the issuer supports it.
// There is no time limit on typing the PIN; a wrong PIN leaves the
// page as it was, with the reason above the field.

import { $, msg, sameOrigin, say, sha256, start, WalletError } from './common.js';
import { newKeyPair, publicJwk, sign } from './jose.js';
import { addCards } from './store.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const CONFIGURATION = 'citizen_card';
const MAX_BATCH = 10;

const errorBox = $('w-error');
const form = $('w-pin-form');
const pin = $('w-pin');
const submit = $('w-pin-submit');
const working = $('w-working');

function fail(err) {
  const key = err instanceof WalletError ? err.key : 'failed';
  $('w-error-text').textContent = msg(key, ...(err.args || []));
  errorBox.hidden = false;
  working.textContent = '';
  const retry = key === 'pin_wrong' || key === 'pin_format' || key === 'network';
  form.hidden = !retry;
  submit.disabled = false;
  if (retry) {
    pin.setAttribute('aria-invalid', 'true');
    pin.setAttribute('aria-describedby', 'w-error-text w-pin-hint');
    pin.value = '';
  }
  // The error first, read out as the page's news; the PIN field is next.
  errorBox.focus();
}

function readOffer() {
  let offer;
  try {
    offer = JSON.parse(new URLSearchParams(location.search).get('credential_offer'));
  } catch {
    throw new WalletError('offer_invalid');
  }
  const grant = offer && offer.grants && offer.grants[GRANT];
  if (!grant || typeof grant['pre-authorized_code'] !== 'string' || typeof offer.credential_issuer !== 'string' ||
      !(offer.credential_configuration_ids || []).includes(CONFIGURATION)) {
    throw new WalletError('offer_invalid');
  }
  if (!sameOrigin(offer.credential_issuer) || new URL(offer.credential_issuer).href.replace(/\/$/, '') !== location.origin) {
    throw new WalletError('offer_foreign', offer.credential_issuer);
  }
  return { issuer: offer.credential_issuer.replace(/\/$/, ''), code: grant['pre-authorized_code'] };
}

async function call(url, init) {
  const u = sameOrigin(url);
  if (!u) {
    throw new WalletError('failed');
  }
  let r;
  try {
    r = await fetch(u, { credentials: 'omit', cache: 'no-store', ...init });
  } catch {
    throw new WalletError('network');
  }
  const body = await r.json().catch(() => ({}));
  return { ok: r.ok, status: r.status, body };
}

async function metadata(issuer) {
  const { ok, body } = await call(issuer + '/.well-known/openid-credential-issuer');
  if (!ok || body.credential_issuer !== issuer || !body.credential_configurations_supported?.[CONFIGURATION]) {
    throw new WalletError('failed');
  }
  const as = await call((body.authorization_servers || [issuer])[0] + '/.well-known/oauth-authorization-server');
  if (!as.ok || !as.body.token_endpoint) {
    throw new WalletError('failed');
  }
  const size = Number(body.batch_credential_issuance?.batch_size) || 1;
  return {
    ...body,
    token_endpoint: as.body.token_endpoint,
    dpop: (as.body.dpop_signing_alg_values_supported || []).includes('ES256'),
    batch: Math.max(1, Math.min(MAX_BATCH, size)),
  };
}

// dpop signs a DPoP proof (RFC 9449) for one request, binding the access
// token to a key of this issuance only: a token that leaks is useless
// without it. HAIP asks for it where the issuer supports it.
async function dpop(keys, url, accessToken) {
  if (!keys) {
    return {};
  }
  const claims = { jti: crypto.randomUUID(), htm: 'POST', htu: url, iat: Math.floor(Date.now() / 1000) };
  if (accessToken) {
    claims.ath = await sha256(accessToken);
  }
  return { DPoP: await sign({ alg: 'ES256', typ: 'dpop+jwt', jwk: await publicJwk(keys.publicKey) }, claims, keys.privateKey) };
}

async function token(meta, code, txCode, dpopKeys) {
  const { ok, body } = await call(meta.token_endpoint, {
    method: 'POST',
    headers: await dpop(dpopKeys, meta.token_endpoint),
    body: new URLSearchParams({ grant_type: GRANT, 'pre-authorized_code': code, tx_code: txCode }),
  });
  if (ok && body.access_token) {
    return { value: body.access_token, type: body.token_type === 'DPoP' ? 'DPoP' : 'Bearer' };
  }
  if (body.error === 'invalid_grant') {
    throw new WalletError(body.error_description === 'wrong transaction code' ? 'pin_wrong' : 'offer_dead');
  }
  throw new WalletError('failed');
}

async function receive(offer, meta, txCode) {
  const keys = await Promise.all(Array.from({ length: meta.batch }, newKeyPair));
  const dpopKeys = meta.dpop ? await newKeyPair() : null;
  const access = await token(meta, offer.code, txCode, dpopKeys);
  const nonce = await call(meta.nonce_endpoint, { method: 'POST' });
  if (!nonce.ok || !nonce.body.c_nonce) {
    throw new WalletError('failed');
  }
  const iat = Math.floor(Date.now() / 1000);
  const proofs = await Promise.all(keys.map(async (k) => sign(
    { alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: await publicJwk(k.publicKey) },
    { aud: offer.issuer, iat, nonce: nonce.body.c_nonce }, k.privateKey)));
  const { ok, body } = await call(meta.credential_endpoint, {
    method: 'POST',
    headers: {
      ...(access.type === 'DPoP' ? await dpop(dpopKeys, meta.credential_endpoint, access.value) : {}),
      Authorization: access.type + ' ' + access.value,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ credential_configuration_id: CONFIGURATION, proofs: { jwt: proofs } }),
  });
  const creds = ok && Array.isArray(body.credentials) ? body.credentials : [];
  if (creds.length === 0 || creds.length > keys.length) {
    throw new WalletError('offer_dead');
  }
  // The issuer answers in the order of the proofs: card i is bound to key i.
  const received = Date.now();
  const batch = crypto.randomUUID();
  await addCards(creds.map((c, i) => ({ batch, received, credential: c.credential, keys: keys[i], shownTo: [], uses: 0 })));
}

async function main() {
  if (!start()) {
    return;
  }
  let offer;
  let meta;
  try {
    offer = readOffer();
    meta = await metadata(offer.issuer);
  } catch (e) {
    fail(e);
    form.hidden = true;
    return;
  }
  form.hidden = false;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const txCode = pin.value.replace(/\s/g, '');
    if (!/^[0-9]{6}$/.test(txCode)) {
      fail(new WalletError('pin_format'));
      return;
    }
    submit.disabled = true;
    errorBox.hidden = true;
    say(working, 'receiving');
    try {
      await receive(offer, meta, txCode);
      location.replace('/wallet?received=1');
    } catch (e) {
      fail(e);
    }
  });
}

main();
