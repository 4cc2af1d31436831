// Compact JWS with ES256 on WebCrypto. WebCrypto's ECDSA signature is the
// raw r||s of 64 bytes, which is exactly JWS's ES256 format: no DER
// conversion either way.

import { b64url, b64urlJSON, fromB64url, parseB64urlJSON, utf8, WalletError } from './common.js';

const ES256 = { name: 'ECDSA', hash: 'SHA-256' };
const P256 = { name: 'ECDSA', namedCurve: 'P-256' };

// newKeyPair makes a holder key whose private half cannot be exported.
export function newKeyPair() {
  return crypto.subtle.generateKey(P256, false, ['sign']);
}

// publicJwk is the public key as a bare JWK: only the members that name the
// key, so that nothing else about this browser travels with it.
export async function publicJwk(key) {
  const j = await crypto.subtle.exportKey('jwk', key);
  return { kty: j.kty, crv: j.crv, x: j.x, y: j.y };
}

export async function sign(header, payload, privateKey) {
  const input = b64urlJSON(header) + '.' + b64urlJSON(payload);
  const sig = await crypto.subtle.sign(ES256, privateKey, utf8(input));
  return input + '.' + b64url(new Uint8Array(sig));
}

export function decode(jws) {
  const parts = String(jws).split('.');
  if (parts.length !== 3) {
    throw new WalletError('request_invalid');
  }
  try {
    return { header: parseB64urlJSON(parts[0]), payload: parseB64urlJSON(parts[1]), parts };
  } catch {
    throw new WalletError('request_invalid');
  }
}

// verify returns the payload of an ES256 JWS signed by the P-256 key jwk,
// or throws.
export async function verify(jws, jwk) {
  const { header, payload, parts } = decode(jws);
  if (header.alg !== 'ES256' || !jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256') {
    throw new WalletError('request_invalid');
  }
  let key;
  try {
    key = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, P256, false, ['verify']);
  } catch {
    throw new WalletError('request_invalid');
  }
  const ok = await crypto.subtle.verify(ES256, key, fromB64url(parts[2]), utf8(parts[0] + '.' + parts[1]));
  if (!ok) {
    throw new WalletError('request_invalid');
  }
  return { header, payload };
}
