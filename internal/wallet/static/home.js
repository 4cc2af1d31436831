// The wallet's home: the cards this browser holds, in large type, and the
// ways to use them. Each batch of cards is one card to the citizen; its
// copies differ only in what keeps verifiers from linking them.

import { $, formatDate, msg, start } from './common.js';
import { setupEngage } from './engage.js';
import * as facts from './facts.js';
import { setupScan } from './scan.js';
import { claims, parse } from './sdjwt.js';
import { allCards, removeAll } from './store.js';

function batches(cards) {
  const by = new Map();
  for (const c of cards) {
    if (!by.has(c.batch)) {
      by.set(c.batch, []);
    }
    by.get(c.batch).push(c);
  }
  return [...by.values()].sort((a, b) => b[0].received - a[0].received);
}

async function renderCard(copies) {
  const card = await parse(copies[0].credential);
  const c = claims(card);
  const el = $('w-card-tpl').content.firstElementChild.cloneNode(true);
  const set = (f, text) => { el.querySelector(`[data-f="${f}"]`).textContent = text; };
  set('name', c.name || '');
  set('district', c.address ? facts.value(['address', 'district'], c.address.district) : '');
  set('age', c.age_bracket ? facts.ageGroup(c.age_bracket) : '');
  set('exp', c.exp ? formatDate(c.exp * 1000) : '');
  set('received', msg('received_on', formatDate(copies[0].received)));
  set('copies', msg('copies', copies.length));
  return el;
}

function setupRemove() {
  const ask = $('w-remove-ask');
  const confirm = $('w-remove-confirm');
  ask.addEventListener('click', () => {
    $('w-remove-ask-wrap').hidden = true;
    confirm.hidden = false;
    $('w-remove-q').focus();
  });
  $('w-remove-no').addEventListener('click', () => {
    confirm.hidden = true;
    $('w-remove-ask-wrap').hidden = false;
    ask.focus();
  });
  $('w-remove-yes').addEventListener('click', async () => {
    await removeAll();
    location.replace('/wallet?removed=1');
  });
}

async function main() {
  if (!start()) {
    return;
  }
  const q = new URLSearchParams(location.search);
  $('w-received').hidden = !q.has('received');
  $('w-removed').hidden = !q.has('removed');
  setupScan();
  const held = batches(await allCards());
  if (held.length === 0) {
    $('w-empty').hidden = false;
    return;
  }
  $('w-card-list').replaceChildren(...await Promise.all(held.map(renderCard)));
  $('w-cards').hidden = false;
  $('w-show').hidden = false;
  $('w-remove').hidden = false;
  setupEngage();
  setupRemove();
}

main();
