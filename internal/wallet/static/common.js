// What every wallet page script shares: the page's data island (texts in
// the page's language, the district names, the claim labels), showing the
// page only where this browser can hold a card, and the byte encodings that
// JOSE needs.

const island = JSON.parse(document.getElementById('wallet-data').textContent);

export const page = island;

export function $(id) {
  return document.getElementById(id);
}

// msg fills a catalogue text's %s verbs in order, as Go's fmt would.
export function msg(key, ...args) {
  let i = 0;
  return (island.msg[key] || '').replace(/%s/g, () => String(args[i++] ?? ''));
}

// start reveals the page once it is known that this browser has what a
// wallet needs: WebCrypto (only in a secure context) and IndexedDB, where
// the non-extractable keys are kept.
export function start() {
  $('w-needs-js').hidden = true;
  if (!window.isSecureContext || !window.crypto || !crypto.subtle || !window.indexedDB) {
    $('w-unsupported').hidden = false;
    return false;
  }
  $('w-app').hidden = false;
  return true;
}

// WalletError carries the catalogue key of what to tell the citizen.
export class WalletError extends Error {
  constructor(key, ...args) {
    super(key);
    this.key = key;
    this.args = args;
  }
}

export function say(el, key, ...args) {
  el.textContent = msg(key, ...args);
}

// sameOrigin returns the URL when it is on this site, else null: the
// wallet talks to this site only (the CSP's connect-src is 'self').
export function sameOrigin(href) {
  try {
    const u = new URL(href, location.href);
    return u.origin === location.origin ? u : null;
  } catch {
    return null;
  }
}

export function formatDate(ms, withTime) {
  const opts = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'long' };
  return new Intl.DateTimeFormat(island.lang, { ...opts, timeZone: 'Asia/Seoul' }).format(new Date(ms));
}

const encoder = new TextEncoder();

export function utf8(s) {
  return encoder.encode(s);
}

export function b64url(bytes) {
  let bin = '';
  for (const b of bytes) {
    bin += String.fromCharCode(b);
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64url(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function b64urlJSON(v) {
  return b64url(utf8(JSON.stringify(v)));
}

export function parseB64urlJSON(s) {
  return JSON.parse(new TextDecoder().decode(fromB64url(s)));
}

// sha256 is base64url(SHA-256(s)), the digest of SD-JWT disclosures and of
// sd_hash; s is ASCII (base64url and "~") wherever SD-JWT hashes.
export async function sha256(s) {
  return b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(s))));
}
