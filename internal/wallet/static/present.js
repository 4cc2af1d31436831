// The consent screen of OpenID4VP: who asks, why, and exactly which facts
// with the values that would go, then "Share" or "Don't share". Nothing is
// sent before the citizen chooses, and there is no time limit. Every choice
// and its outcome goes into the history on this phone.

import { $, msg, page, say, start, WalletError } from './common.js';
import { pick, shown } from './choose.js';
import { answer } from './dcql.js';
import * as facts from './facts.js';
import { load, localized } from './request.js';
import { parse, present } from './sdjwt.js';
import { addHistory, allCards, putCard } from './store.js';

const working = $('w-working');

function showError(err) {
  working.textContent = '';
  const key = err instanceof WalletError ? err.key : 'failed';
  $('w-error-text').textContent = msg(key, ...(err.args || []));
  $('w-error').hidden = false;
  $('w-error').focus();
}

// candidates are the cards that can answer the query, unexpired, each with
// what it would disclose.
async function candidates(query) {
  const now = Date.now() / 1000;
  const out = [];
  let missing = false;
  for (const record of await allCards()) {
    const card = await parse(record.credential);
    if (card.payload.vct !== page.card_type || (card.payload.exp && card.payload.exp <= now)) {
      continue;
    }
    const a = answer(query, card);
    if (a.unsupported) {
      throw new WalletError('request_unsupported');
    }
    if (a.missing) {
      missing = true;
      continue;
    }
    out.push({ record, card, answers: a.answers });
  }
  return { out, missing };
}

// requested lists the paths a query names, for the screens and the
// history, when no card can answer it.
function requested(query) {
  return (query.credentials || []).flatMap((c) => (c.claims || []).map((x) => x.path)).filter(Array.isArray);
}

function send(req, fields) {
  return fetch(req.response_uri, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': page.csrf },
    body: new URLSearchParams({ ...fields, state: req.state }),
    cache: 'no-store',
  });
}

function result(titleKey, textKey, who, detail) {
  working.textContent = '';
  $('w-consent').hidden = true;
  $('w-cannot').hidden = true;
  say($('w-result-h'), titleKey);
  say($('w-result-text'), textKey, who);
  $('w-result-detail').textContent = detail || '';
  $('w-result-detail').hidden = !detail;
  $('w-result').hidden = false;
  $('w-result-h').focus();
}

async function share(req, who, chosen) {
  const clientId = req.client_id;
  // Recorded before sending: once the verifier may have seen the card,
  // it counts as shown to it.
  await putCard(shown(chosen.record, clientId));
  const vp = {};
  for (const a of chosen.answers) {
    vp[a.id] = [await present(chosen.card, a.used, clientId, req.nonce, chosen.record.keys.privateKey)];
  }
  const paths = chosen.answers.flatMap((a) => a.facts.map((f) => f.path));
  let outcome = 'failed';
  let detail = '';
  let redirect = null;
  try {
    const r = await send(req, { vp_token: JSON.stringify(vp) });
    const body = await r.json().catch(() => ({}));
    if (r.ok) {
      outcome = 'accepted';
      redirect = body.redirect_uri;
    } else if (r.status >= 400 && r.status < 500 && body.error) {
      outcome = 'refused';
      detail = body.error_description || '';
    }
  } catch {
    outcome = 'failed';
  }
  await addHistory({ at: Date.now(), clientId, who, paths, outcome, detail });
  if (outcome === 'accepted') {
    result('accepted', 'accepted_text', who);
    const to = redirect && new URL(redirect, location.href);
    if (to && to.origin === location.origin) {
      $('w-continue').href = to.href;
      $('w-continue-wrap').hidden = false;
    }
  } else if (outcome === 'refused') {
    result('refused', 'refused_text', who, detail);
  } else {
    showError(new WalletError('network'));
  }
}

async function decline(req, who, paths) {
  let outcome = 'declined';
  try {
    await send(req, { error: 'access_denied' });
  } catch {
    // The verifier is not told, but nothing was shared either way.
  }
  await addHistory({ at: Date.now(), clientId: req.client_id, who, paths, outcome, detail: '' });
  result('declined', 'declined_text', who);
}

function busy(buttons, on) {
  buttons.forEach((b) => { b.disabled = on; });
  if (on) {
    say(working, 'sending');
  }
}

async function main() {
  if (!start()) {
    return;
  }
  const q = new URLSearchParams(location.search);
  let req;
  let found;
  try {
    req = await load(q.get('client_id'), q.get('request_uri'));
    found = await candidates(req.dcql_query);
  } catch (e) {
    showError(e);
    return;
  }
  const meta = req.client_metadata || {};
  const who = localized(meta, 'client_name', page.lang) || req.client_id;
  const why = localized(meta, 'purpose', page.lang);
  if (found.out.length === 0) {
    say($('w-cannot-text'), 'cannot', who);
    $('w-cannot').hidden = false;
    $('w-cannot-h').focus();
    const no = $('w-tell-no');
    no.addEventListener('click', async () => {
      busy([no], true);
      await decline(req, who, requested(req.dcql_query));
    }, { once: true });
    return;
  }
  const chosen = pick(found.out, req.client_id);
  const list = chosen.answers.flatMap((a) => a.facts).map((f) => {
    const li = document.createElement('li');
    const strong = document.createElement('strong');
    strong.textContent = facts.value(f.path, f.value);
    li.append(facts.label(f.path) + ': ', strong);
    return li;
  });
  $('w-facts').replaceChildren(...list);
  say($('w-who'), 'asks', who);
  $('w-why').textContent = why;
  $('w-why').parentElement.hidden = !why;
  $('w-consent').hidden = false;
  $('w-who').focus();
  const yes = $('w-share');
  const no = $('w-decline');
  yes.addEventListener('click', async () => {
    busy([yes, no], true);
    try {
      await share(req, who, chosen);
    } catch (e) {
      showError(e);
    }
  }, { once: true });
  no.addEventListener('click', async () => {
    busy([yes, no], true);
    await decline(req, who, chosen.answers.flatMap((a) => a.facts.map((f) => f.path)));
  }, { once: true });
}

main();
