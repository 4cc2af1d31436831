// The holder's side of SD-JWT (RFC 9901): read a card, find the
// disclosures a set of claim paths needs, and present them with a key
// binding JWT. internal/sdjwt.Verify is the verifier these presentations
// must satisfy; the wallet's browser test proves they do.

import { parseB64urlJSON, sha256 } from './common.js';
import { sign } from './jose.js';

// parse reads a compact SD-JWT "<issuer-jwt>~<d1>~...~<dn>~" and digests
// every disclosure as it is written, which is what the issuer hashed.
export async function parse(sdjwt) {
  const parts = sdjwt.split('~');
  const jwt = parts[0];
  const payload = parseB64urlJSON(jwt.split('.')[1]);
  const disclosures = await Promise.all(parts.slice(1, -1).map(async (encoded) => {
    const arr = parseB64urlJSON(encoded);
    return { encoded, digest: await sha256(encoded), name: arr.length === 3 ? arr[1] : null, value: arr[arr.length - 1] };
  }));
  return { jwt, payload, disclosures, byDigest: new Map(disclosures.map((d) => [d.digest, d])) };
}

// expand returns node with its disclosures substituted, adding every
// disclosure it uses to used: disclosing an object discloses all of it.
function expand(card, node, used) {
  if (Array.isArray(node)) {
    const out = [];
    for (const e of node) {
      const ref = e && typeof e === 'object' && !Array.isArray(e) && Object.keys(e).length === 1 ? e['...'] : undefined;
      if (ref === undefined) {
        out.push(expand(card, e, used));
        continue;
      }
      const d = card.byDigest.get(ref);
      if (d) {
        used.add(d);
        out.push(expand(card, d.value, used));
      }
    }
    return out;
  }
  if (!node || typeof node !== 'object') {
    return node;
  }
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k !== '_sd' && k !== '_sd_alg') {
      out[k] = expand(card, v, used);
    }
  }
  for (const h of node._sd || []) {
    const d = card.byDigest.get(h);
    if (d && d.name !== null) {
      used.add(d);
      out[d.name] = expand(card, d.value, used);
    }
  }
  return out;
}

// claims are all of a card's claims, as its holder sees them.
export function claims(card) {
  return expand(card, card.payload, new Set());
}

// select finds the claim at path (object keys only) and the disclosures
// that reveal it: the one of each level on the way, e.g. "address" for
// address.district, and, for an object, everything inside it. It returns
// null when the card does not hold the claim.
export function select(card, path) {
  const used = new Set();
  let node = card.payload;
  for (const key of path) {
    if (typeof key !== 'string' || !node || typeof node !== 'object' || Array.isArray(node)) {
      return null;
    }
    if (key !== '_sd' && Object.hasOwn(node, key)) {
      node = node[key];
      continue;
    }
    const d = (node._sd || []).map((h) => card.byDigest.get(h)).find((x) => x && x.name === key);
    if (!d) {
      return null;
    }
    used.add(d);
    node = d.value;
  }
  return { value: expand(card, node, used), used };
}

// present builds "<issuer-jwt>~<chosen disclosures>~<kb-jwt>": the
// disclosures in the card's own order, so that the same choice always
// gives the same presentation apart from the key binding.
export async function present(card, used, aud, nonce, privateKey) {
  const chosen = card.disclosures.filter((d) => used.has(d));
  const body = card.jwt + '~' + chosen.map((d) => d.encoded + '~').join('');
  const kb = await sign({ alg: 'ES256', typ: 'kb+jwt' },
    { iat: Math.floor(Date.now() / 1000), aud, nonce, sd_hash: await sha256(body) }, privateKey);
  return body + kb;
}
