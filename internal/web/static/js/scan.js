// Camera QR scanning for the staff check-in page (/staff/checkin).
//
// Progressive enhancement only: the page works fully without this script
// (staff type the ticket code, or use a hardware scanner that types it).
// Where the browser offers a camera and the vendored jsQR decoder loaded,
// the scanner section is revealed; a decoded Maeul ticket fills the ticket
// field and submits the form. Scanning runs until a ticket is found or
// staff press Stop: there is no time limit. Texts come from the page's
// data-msg-* attributes, so they follow the catalogue's language.
(function () {
  'use strict';

  var section = document.getElementById('scanner');
  var form = document.getElementById('checkin-form');
  var field = document.getElementById('f-ticket');
  if (!section || !form || !field) {
    return;
  }
  if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function' ||
      typeof window.jsQR !== 'function' || !window.requestAnimationFrame) {
    return;
  }

  var startWrap = document.getElementById('scan-start-wrap');
  var stopWrap = document.getElementById('scan-stop-wrap');
  var videoWrap = document.getElementById('scan-video-wrap');
  var startButton = document.getElementById('scan-start');
  var stopButton = document.getElementById('scan-stop');
  var video = document.getElementById('scan-video');
  var status = document.getElementById('scan-status');
  var prefix = section.getAttribute('data-prefix') || '';
  var canvas = document.createElement('canvas');
  var context = canvas.getContext('2d', { willReadFrequently: true });
  var stream = null;
  var frame = 0;
  var lastOther = '';

  function msg(name) {
    return section.getAttribute('data-msg-' + name) || '';
  }

  function say(text) {
    status.textContent = text;
  }

  function show(running) {
    startWrap.hidden = running;
    stopWrap.hidden = !running;
    videoWrap.hidden = !running;
  }

  function stop() {
    if (frame) {
      window.cancelAnimationFrame(frame);
      frame = 0;
    }
    if (stream) {
      stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
    }
    video.srcObject = null;
    show(false);
  }

  function isTicket(text) {
    return prefix !== '' && text.slice(0, prefix.length).toUpperCase() === prefix.toUpperCase();
  }

  function tick() {
    frame = 0;
    if (!stream) {
      return;
    }
    if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth > 0) {
      // Decode a frame no wider than 640 pixels: enough for a ticket held
      // up to the camera, and light on an old phone.
      var scale = Math.min(1, 640 / video.videoWidth);
      var w = Math.round(video.videoWidth * scale);
      var h = Math.round(video.videoHeight * scale);
      canvas.width = w;
      canvas.height = h;
      context.drawImage(video, 0, 0, w, h);
      var image = context.getImageData(0, 0, w, h);
      var code = window.jsQR(image.data, w, h, { inversionAttempts: 'attemptBoth' });
      if (code && code.data) {
        if (isTicket(code.data)) {
          stop();
          field.value = code.data;
          say(msg('found'));
          if (typeof form.requestSubmit === 'function') {
            form.requestSubmit();
          } else {
            form.submit();
          }
          return;
        }
        if (code.data !== lastOther) {
          lastOther = code.data;
          say(msg('not-ticket'));
        }
      }
    }
    frame = window.requestAnimationFrame(tick);
  }

  startButton.addEventListener('click', function () {
    say(msg('starting'));
    lastOther = '';
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.setAttribute('playsinline', '');
      show(true);
      stopButton.focus();
      var played = video.play();
      if (played && typeof played.catch === 'function') {
        played.catch(function () {});
      }
      say(msg('scanning'));
      frame = window.requestAnimationFrame(tick);
    }).catch(function () {
      stop();
      say(msg('denied'));
    });
  });

  stopButton.addEventListener('click', function () {
    stop();
    say(msg('stopped'));
    startButton.focus();
  });

  // Release the camera when the page is left or hidden in the background.
  window.addEventListener('pagehide', stop);
  document.addEventListener('visibilitychange', function () {
    if (document.hidden && stream) {
      stop();
      say(msg('stopped'));
    }
  });

  section.hidden = false;
})();
