// Maeul's display settings keep the person where they were. The large-text
// and high-contrast buttons change the page in place (the server only sets
// the cookie), so nothing typed is lost; the language switch has to load the
// page again, so what was typed is kept in this tab and put back after.
// Without JavaScript the same forms and links work by reloading the page.
(function () {
  'use strict';
  var root = document.documentElement;
  var prefs = document.querySelector('form[data-prefs]');
  if (prefs && window.fetch && window.URLSearchParams) {
    prefs.addEventListener('submit', function (ev) {
      var btn = ev.submitter;
      if (!btn || btn.name !== 'toggle') return;
      ev.preventDefault();
      var body = new URLSearchParams(new FormData(prefs));
      body.set('toggle', btn.value);
      var fallback = function () {
        var input = document.createElement('input');
        input.type = 'hidden'; input.name = 'toggle'; input.value = btn.value;
        prefs.appendChild(input);
        prefs.submit();
      };
      fetch(prefs.action, { method: 'POST', body: body, credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) {
          if (res.status !== 204) { fallback(); return; }
          var on = btn.getAttribute('aria-pressed') !== 'true';
          btn.setAttribute('aria-pressed', on ? 'true' : 'false');
          root.classList.toggle(btn.value === 'text' ? 'large-text' : 'high-contrast', on);
        }, fallback);
    });
  }

  // Only what a person types: never hidden fields (tokens, signed state),
  // passwords or files.
  var key = 'maeul-keep:' + location.pathname + location.search;
  var kept = function (el) {
    return el.name && !el.disabled && ['hidden', 'password', 'file', 'submit', 'button'].indexOf(el.type) < 0;
  };
  var fields = function () {
    var out = [];
    Array.prototype.forEach.call(document.querySelectorAll('main form'), function (f, i) {
      Array.prototype.forEach.call(f.elements, function (el) { if (kept(el)) out.push([i, el]); });
    });
    return out;
  };
  var store = window.sessionStorage;
  Array.prototype.forEach.call(document.querySelectorAll('.lang-switch a'), function (a) {
    a.addEventListener('click', function () {
      var values = [];
      fields().forEach(function (p) {
        var el = p[1];
        if (el.type === 'checkbox' || el.type === 'radio') {
          values.push([p[0], el.name, el.value, el.checked]);
        } else if (el.value !== el.defaultValue || el.tagName === 'SELECT') {
          values.push([p[0], el.name, null, el.value]);
        }
      });
      try { if (values.length) store.setItem(key, JSON.stringify(values)); } catch (e) { /* private mode */ }
    });
  });
  var saved;
  try { saved = store.getItem(key); store.removeItem(key); } catch (e) { saved = null; }
  if (saved) {
    var values = JSON.parse(saved);
    fields().forEach(function (p) {
      var el = p[1];
      values.forEach(function (v) {
        if (v[0] !== p[0] || v[1] !== el.name) return;
        if (v[2] === null && el.type !== 'checkbox' && el.type !== 'radio') el.value = v[3];
        else if (v[2] === el.value && (el.type === 'checkbox' || el.type === 'radio')) el.checked = v[3];
      });
    });
  }

  // The desktop menu's groups close when another opens, on Escape and on
  // a click elsewhere, as menus do.
  var groups = document.querySelectorAll('details.menu-group');
  Array.prototype.forEach.call(groups, function (d) {
    d.addEventListener('toggle', function () {
      if (!d.open) return;
      Array.prototype.forEach.call(groups, function (o) { if (o !== d) o.open = false; });
    });
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Escape') return;
    Array.prototype.forEach.call(groups, function (d) {
      if (d.open) { d.open = false; d.querySelector('summary').focus(); }
    });
  });
  document.addEventListener('click', function (ev) {
    Array.prototype.forEach.call(groups, function (d) { if (d.open && !d.contains(ev.target)) d.open = false; });
  });
})();
