// Reading and checking an OpenID4VP 1.0 request by reference: the request
// object is a JWS signed by the relying party's did:web key. The wallet
// shares nothing unless the signature verifies with the key the DID
// document publishes, the request names the same client, is answered by
// direct_post to this site, and is still fresh.

import { sameOrigin, WalletError } from './common.js';
import { decode, verify } from './jose.js';

const DID_PREFIX = 'decentralized_identifier:';

// didDocumentURL maps did:web:host%3Aport:path:segments to its document
// (did:web method, section 3.2). The scheme is https, except for this very
// host, whose scheme is the page's own (a development server on loopback).
export function didDocumentURL(did) {
  if (!did.startsWith('did:web:')) {
    return null;
  }
  const [host, ...path] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  const scheme = host === location.host ? location.protocol : 'https:';
  return `${scheme}//${host}/${path.length ? path.join('/') : '.well-known'}/did.json`;
}

async function getJSON(url) {
  const r = await fetch(url, { credentials: 'omit', cache: 'no-store' });
  if (!r.ok) {
    throw new WalletError('request_invalid');
  }
  return r.json();
}

// load fetches the request behind a wallet link and returns its verified
// payload.
export async function load(clientId, requestUri) {
  if (!clientId || !requestUri || !clientId.startsWith(DID_PREFIX)) {
    throw new WalletError('request_invalid');
  }
  const uri = sameOrigin(requestUri);
  const did = clientId.slice(DID_PREFIX.length);
  const docURL = didDocumentURL(did);
  if (!uri || !docURL || !sameOrigin(docURL)) {
    throw new WalletError('request_foreign');
  }
  let jws;
  try {
    const r = await fetch(uri, { credentials: 'omit', cache: 'no-store', headers: { Accept: 'application/oauth-authz-req+jwt' } });
    if (!r.ok) {
      // Gone, answered already or past its time: the verifier says which
      // with 404, 409 or 410, and to the citizen it is all one.
      throw new WalletError([404, 409, 410].includes(r.status) ? 'request_expired' : 'request_invalid');
    }
    jws = (await r.text()).trim();
  } catch (e) {
    throw e instanceof WalletError ? e : new WalletError('network');
  }
  const { header } = decode(jws);
  if (header.typ !== 'oauth-authz-req+jwt' || typeof header.kid !== 'string' || !header.kid.startsWith(did + '#')) {
    throw new WalletError('request_invalid');
  }
  const doc = await getJSON(docURL);
  const method = doc.id === did && (doc.verificationMethod || []).find((m) => m.id === header.kid);
  if (!method) {
    throw new WalletError('request_foreign');
  }
  const { payload } = await verify(jws, method.publicKeyJwk);
  if (payload.client_id !== clientId || payload.response_type !== 'vp_token' || payload.response_mode !== 'direct_post' ||
      !sameOrigin(payload.response_uri || '') || !payload.nonce || !payload.state || !payload.dcql_query) {
    throw new WalletError('request_invalid');
  }
  if (typeof payload.exp !== 'number' || payload.exp * 1000 <= Date.now()) {
    throw new WalletError('request_expired');
  }
  return payload;
}

// localized picks a client_metadata member in the page's language
// (member#ko, member#en) or without a tag.
export function localized(meta, member, lang) {
  return (meta && (meta[member + '#' + lang] || meta[member])) || '';
}
