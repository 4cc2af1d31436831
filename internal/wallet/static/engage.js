// "Show my card to staff": the wallet asks the platform for an engagement,
// shows its link as a big QR code and its code in groups of four for staff
// to scan or type, and waits, polling every two seconds, until the staff's
// verifier page turns it into a request. An engagement that expires is
// replaced without a word: the citizen never sees a countdown.

import { $, page, sameOrigin, say } from './common.js';

const POLL_MS = 2000;

export function presentLink(href) {
  const u = sameOrigin(href || '');
  return u && u.pathname === '/wallet/present' ? u : null;
}

export function setupEngage() {
  const startButton = $('w-show-start');
  const stopButton = $('w-show-stop');
  const box = $('w-show-box');
  const status = $('w-show-status');
  let poll = '';
  let timer = 0;
  let running = false;

  function stop() {
    running = false;
    clearTimeout(timer);
    box.hidden = true;
    $('w-show-start-wrap').hidden = false;
  }

  function showCode(code) {
    $('w-show-code').textContent = (code.match(/.{1,4}/g) || []).join(' ');
  }

  function showQR(svgText) {
    const holder = $('w-show-qr');
    const svg = svgText && new DOMParser().parseFromString(svgText, 'text/html').querySelector('svg');
    holder.replaceChildren(...(svg ? [document.importNode(svg, true)] : []));
  }

  async function begin(first) {
    let e;
    try {
      const r = await fetch('/vp/engage', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': page.csrf },
        body: '{}',
        cache: 'no-store',
      });
      e = r.ok ? await r.json() : null;
    } catch {
      e = null;
    }
    if (!running) {
      return;
    }
    if (!e || !e.code || !sameOrigin(e.poll || '')) {
      if (first) {
        stop();
        say(status, 'engage_failed');
        startButton.focus();
        return;
      }
      // Already showing a code: keep trying quietly rather than take the
      // screen away from someone standing at a desk.
      timer = setTimeout(() => begin(false), POLL_MS);
      return;
    }
    poll = e.poll;
    showQR(e.qr_svg);
    showCode(e.code);
    say(status, 'engage_waiting');
    if (first) {
      $('w-show-start-wrap').hidden = true;
      box.hidden = false;
      box.focus();
    }
    timer = setTimeout(check, POLL_MS);
  }

  async function check() {
    if (!running) {
      return;
    }
    try {
      const r = await fetch(poll, { cache: 'no-store' });
      if (r.status === 404 || r.status === 410) {
        begin(false);
        return;
      }
      const j = r.ok ? await r.json() : {};
      const link = j.status === 'request' && presentLink(j.link);
      if (link && running) {
        say(status, 'engage_opening');
        location.assign(link.href);
        return;
      }
    } catch {
      // A lost connection on a phone is usually brief: poll again.
    }
    timer = setTimeout(check, POLL_MS);
  }

  startButton.addEventListener('click', () => {
    running = true;
    status.textContent = '';
    begin(true);
  });
  stopButton.addEventListener('click', () => {
    stop();
    startButton.focus();
  });
  window.addEventListener('pagehide', stop);
}
