// SD-JWT VC interop driver around @sd-jwt/sd-jwt-vc (the OpenWallet
// Foundation implementation), run by internal/sdjwt/interop_test.go.
//
//   node sdjwt.mjs verify|issue|present|bench < request.json > response.json
//
// The request is one JSON object, or an array of them answered by an array
// in the same order (one Node start-up for many requests). Nothing here
// touches the network: keys come in as JWKs, status lists and type metadata
// are never fetched.
//
// verify  {presentation, issuerJwk, holderNonce, audience, requireKB,
//          currentDate?, skewSeconds?, maxAgeSeconds?, types?}
//         -> {ok: true, claims, header, kb} | {ok: false, error}
// issue   {claims, disclosureFrame, issuerJwkPrivate, holderJwkPublic, vct, typ?}
//         -> {sdjwt}
// present {sdjwt, presentationFrame, holderJwkPrivate, nonce, aud, iat?}
//         -> {presentation}
// bench   {presentation, issuerJwk, nonce, aud, n, currentDate?}
//         -> {nsPerOp, n}

import { randomBytes } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, digest } from '@sd-jwt/crypto-nodejs';
import { run } from './driver.mjs';

// 128-bit salts as RFC 9901 section 9.3 recommends. (generateSalt of
// @sd-jwt/crypto-nodejs returns the first `length` hex digits of `length`
// random bytes, i.e. 64 bits for length 16.)
const saltGenerator = (length) => randomBytes(length).toString('base64url');

const DEFAULT_TYPES = ['dc+sd-jwt', 'vc+sd-jwt'];
const DEFAULT_MAX_AGE = 300; // seconds, as internal/sdjwt's default MaxAge

// The holder key is the one the issuer bound in cnf.jwk (RFC 9901 section
// 4.3 / SD-JWT VC section 3.2.2.2); the library hands us the processed
// payload so we can find it.
const kbVerifier = async (data, signature, payload) => {
  const jwk = payload?.cnf?.jwk;
  if (!jwk) throw new Error('no cnf.jwk in the SD-JWT to verify the key binding JWT with');
  const verify = await ES256.getVerifier(jwk);
  return verify(data, signature);
};

async function verifier(issuerJwk) {
  const verify = await ES256.getVerifier(issuerJwk);
  return new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    verifier: (data, sig) => verify(data, sig),
    kbVerifier,
  });
}

// verifyWith runs the library's verification and the checks it leaves to the
// application: the typ header (SDJwtVcInstance does not look at it), and the
// key binding JWT's aud and iat (KBJwt.verifyKB checks only that they are
// present; RFC 9901 section 7.3 step 5 requires checking them).
async function verifyWith(sdjwt, req) {
  const now = req.currentDate ?? Math.floor(Date.now() / 1000);
  const skew = req.skewSeconds ?? 30;
  const res = await sdjwt.verify(req.presentation, {
    currentDate: now,
    skewSeconds: skew,
    keyBindingNonce: req.requireKB ? req.holderNonce : undefined,
  });
  const types = req.types ?? DEFAULT_TYPES;
  if (!types.includes(res.header?.typ)) {
    throw new Error(`typ ${JSON.stringify(res.header?.typ)} not accepted`);
  }
  if (req.requireKB) {
    if (!res.kb) throw new Error('key binding JWT required but not verified');
    const { aud, iat } = res.kb.payload;
    if (aud !== req.audience && !(Array.isArray(aud) && aud.includes(req.audience))) {
      throw new Error(`key binding aud ${JSON.stringify(aud)} does not match`);
    }
    const maxAge = req.maxAgeSeconds ?? DEFAULT_MAX_AGE;
    if (typeof iat !== 'number' || iat > now + skew || iat < now - maxAge - skew) {
      throw new Error(`key binding iat ${iat} outside the accepted window`);
    }
  }
  return res;
}

async function verify(req) {
  try {
    const res = await verifyWith(await verifier(req.issuerJwk), req);
    return { ok: true, claims: res.payload, header: res.header, kb: res.kb ?? null };
  } catch (e) {
    return { ok: false, error: String(e?.message ?? e) };
  }
}

async function issue(req) {
  const signer = await ES256.getSigner(req.issuerJwkPrivate);
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator,
    signer,
    signAlg: ES256.alg,
  });
  const payload = { ...req.claims, vct: req.vct };
  if (req.holderJwkPublic) payload.cnf = { jwk: req.holderJwkPublic };
  const options = req.typ ? { header: { typ: req.typ } } : undefined;
  return { sdjwt: await sdjwt.issue(payload, req.disclosureFrame, options) };
}

async function present(req) {
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    kbSigner: await ES256.getSigner(req.holderJwkPrivate),
    kbSignAlg: ES256.alg,
  });
  const kb = {
    payload: { iat: req.iat ?? Math.floor(Date.now() / 1000), aud: req.aud, nonce: req.nonce },
  };
  return { presentation: await sdjwt.present(req.sdjwt, req.presentationFrame, { kb }) };
}

// bench times the same verification as `verify` with key binding required,
// after a warm-up, on one instance (the issuer key imported once, as a
// verifier caches it; the holder key is imported on every call because it
// comes from the credential).
async function bench(req) {
  const sdjwt = await verifier(req.issuerJwk);
  const v = {
    presentation: req.presentation,
    holderNonce: req.nonce,
    audience: req.aud,
    requireKB: true,
    currentDate: req.currentDate,
  };
  const n = Math.max(1, req.n | 0);
  for (let i = 0; i < Math.min(n, 50); i++) await verifyWith(sdjwt, v);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await verifyWith(sdjwt, v);
  const elapsed = process.hrtime.bigint() - start;
  return { nsPerOp: Number(elapsed) / n, n };
}

const commands = { verify, issue, present, bench };

await run('sdjwt.mjs', commands);
