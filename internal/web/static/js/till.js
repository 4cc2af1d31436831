// The merchant's payment QR page (/merchant/{id}/requests/{rid}): asks
// every two seconds whether the citizen has paid, and then shows the
// result. Without this script the merchant presses "Check"; there is no
// time limit either way, and polling stops while the page is hidden.
(function () {
  'use strict';

  var section = document.getElementById('pending');
  if (!section || !window.fetch) {
    return;
  }
  var statusURL = section.getAttribute('data-status');

  function check() {
    if (document.hidden) {
      window.setTimeout(check, 2000);
      return;
    }
    fetch(statusURL, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (s) {
        if (s.paid || s.expired) {
          window.location.replace(window.location.pathname);
          return;
        }
        window.setTimeout(check, 2000);
      })
      .catch(function () { window.setTimeout(check, 2000); });
  }
  window.setTimeout(check, 2000);
})();
