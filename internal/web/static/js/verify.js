// The verifier's waiting page (/verify/{id}): asks every two seconds
// whether the citizen has answered, and then shows the answer. Without this
// script staff press "Check for the answer"; there is no time limit either
// way, and polling stops while the page is hidden.
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
