// What was asked of this wallet, by whom, and what the citizen chose:
// newest first, kept only in this browser.

import { $, formatDate, msg, start } from './common.js';
import * as facts from './facts.js';
import { allHistory } from './store.js';

function cell(...children) {
  const td = document.createElement('td');
  td.append(...children);
  return td;
}

async function main() {
  if (!start()) {
    return;
  }
  const entries = (await allHistory()).sort((a, b) => b.at - a.at || b.id - a.id);
  if (entries.length === 0) {
    $('w-history-empty').hidden = false;
    return;
  }
  $('w-history').replaceChildren(...entries.map((e) => {
    const tr = document.createElement('tr');
    const what = document.createElement('ul');
    for (const p of e.paths) {
      const li = document.createElement('li');
      li.textContent = facts.label(p);
      what.append(li);
    }
    const outcome = msg('outcome_' + e.outcome) + (e.detail ? ' (' + e.detail + ')' : '');
    tr.append(cell(formatDate(e.at, true)), cell(e.who), cell(what), cell(outcome));
    return tr;
  }));
  $('w-history-wrap').hidden = false;
}

main();
