// "Scan a verifier's QR code": the camera, where this browser has one and
// the vendored jsQR loaded, and always a field to paste the link into. A
// request link is either this wallet's https link or an openid4vp: link
// whose query names the same request; both open the consent screen. A
// shop's payment QR (this platform's /pay/… link) opens the page where the
// citizen confirms the payment. The camera runs until a request is found
// or the citizen stops it.

import { $, msg, say } from './common.js';
import { presentLink } from './engage.js';

// requestLink turns a scanned or pasted text into the wallet's own link,
// or null when it is neither a request to share the card nor a payment.
export function requestLink(text) {
  const t = String(text || '').trim();
  let u;
  try {
    u = new URL(t, location.href);
  } catch {
    return null;
  }
  if (u.origin === location.origin && /^\/pay\/[A-Za-z0-9_-]+$/.test(u.pathname)) {
    return u.origin + u.pathname;
  }
  if (u.protocol === 'openid4vp:') {
    u = new URL('/wallet/present' + u.search, location.href);
  } else {
    u = presentLink(u.href);
  }
  return u && u.searchParams.get('client_id') && u.searchParams.get('request_uri') ? u.href : null;
}

function setupCamera(status) {
  if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function' || typeof window.jsQR !== 'function') {
    return;
  }
  const video = $('w-scan-video');
  const startButton = $('w-scan-start');
  const stopButton = $('w-scan-stop');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let stream = null;
  let frame = 0;
  let lastOther = '';

  function running(on) {
    $('w-scan-start-wrap').hidden = on;
    $('w-scan-video-wrap').hidden = !on;
  }

  function stop() {
    cancelAnimationFrame(frame);
    frame = 0;
    if (stream) {
      stream.getTracks().forEach((t) => t.stop());
      stream = null;
    }
    video.srcObject = null;
    running(false);
  }

  function tick() {
    frame = 0;
    if (!stream) {
      return;
    }
    if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth > 0) {
      // Frames no wider than 640 pixels: enough for a code on a screen, and
      // light on an old phone.
      const scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(img.data, canvas.width, canvas.height, { inversionAttempts: 'attemptBoth' });
      if (code && code.data) {
        const link = requestLink(code.data);
        if (link) {
          stop();
          location.assign(link);
          return;
        }
        if (code.data !== lastOther) {
          lastOther = code.data;
          say(status, 'scan_not_request');
        }
      }
    }
    frame = requestAnimationFrame(tick);
  }

  startButton.addEventListener('click', async () => {
    say(status, 'scan_starting');
    lastOther = '';
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      stop();
      say(status, 'scan_denied');
      return;
    }
    video.srcObject = stream;
    video.setAttribute('playsinline', '');
    running(true);
    stopButton.focus();
    video.play().catch(() => {});
    say(status, 'scan_scanning');
    frame = requestAnimationFrame(tick);
  });
  stopButton.addEventListener('click', () => {
    stop();
    say(status, 'scan_stopped');
    startButton.focus();
  });
  window.addEventListener('pagehide', stop);
  $('w-camera').hidden = false;
}

export function setupScan() {
  const status = $('w-scan-status');
  setupCamera(status);
  const field = $('w-link');
  const error = $('w-link-error');
  $('w-link-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const link = requestLink(field.value);
    if (link) {
      location.assign(link);
      return;
    }
    error.textContent = msg('link_invalid');
    error.hidden = false;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  });
}
