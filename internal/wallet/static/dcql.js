// Which facts a verifier's DCQL query (OpenID4VP 1.0, section 6) asks of a
// card, and whether the card can answer. Supported: credential queries of
// format dc+sd-jwt naming the card's vct, claims by paths of object keys
// with optional values, and claim_sets (the first option the card can
// answer, as the verifier ordered them by preference). Not supported:
// credential_sets, which only matter to wallets holding several kinds of
// credential.

import { select } from './sdjwt.js';

// answer matches query against card; it returns {answers: [{id, paths,
// used}]} with the disclosures each query needs, or {unsupported} when the
// query asks for what this wallet cannot do, or {missing} when this card
// lacks a fact.
export function answer(query, card) {
  const creds = query && Array.isArray(query.credentials) ? query.credentials : null;
  if (!creds || creds.length === 0 || query.credential_sets) {
    return { unsupported: true };
  }
  const answers = [];
  for (const cq of creds) {
    if (cq.format !== 'dc+sd-jwt' || typeof cq.id !== 'string') {
      return { unsupported: true };
    }
    const vcts = (cq.meta && cq.meta.vct_values) || [];
    if (!vcts.includes(card.payload.vct)) {
      return { missing: true };
    }
    const claims = cq.claims || [];
    if (!claims.every((c) => Array.isArray(c.path) && c.path.every((p) => typeof p === 'string'))) {
      return { unsupported: true };
    }
    const options = cq.claim_sets ? cq.claim_sets.map((ids) => claims.filter((c) => ids.includes(c.id))) : [claims];
    const found = options.map((cs) => answerClaims(cs, card)).find((a) => a !== null);
    if (!found) {
      return { missing: true };
    }
    answers.push({ id: cq.id, ...found });
  }
  return { answers };
}

function answerClaims(claims, card) {
  const used = new Set();
  const facts = [];
  for (const c of claims) {
    const s = select(card, c.path);
    if (!s || (Array.isArray(c.values) && !c.values.includes(s.value))) {
      return null;
    }
    s.used.forEach((d) => used.add(d));
    facts.push({ path: c.path, value: s.value });
  }
  return { facts, used };
}
