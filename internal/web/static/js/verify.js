// The pages that wait for someone else — the verifier's desk (/verify/{id})
// and a citizen's application (/benefits/applications/{id}) for a wallet's
// answer, a merchant's payment QR (/merchant/{id}/requests/{rid}) for the
// citizen's payment: asks every two seconds whether it has come, and then
// reloads the page to show it. Without this script people press "Check
// again"; there is no time limit either way, and polling stops while the
// page is hidden.
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
      .then(function (r) { return r.ok ? r.json() : { answered: false }; })
      .then(function (s) {
        if (s.answered) {
          window.location.replace(window.location.pathname);
          return;
        }
        window.setTimeout(check, 2000);
      })
      .catch(function () { window.setTimeout(check, 2000); });
  }
  window.setTimeout(check, 2000);
})();
