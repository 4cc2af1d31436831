// Checks ledger receipts in the browser, on "my citizen card" and "my
// points" (the table with data-vkey): the checkpoint's Ed25519 signature
// against the log's note verifier key (C2SP signed-note), the entry's
// RFC 6962 inclusion proof against the checkpoint's root, and, when the
// receipt carries the opening of the entry's subject (format 2), that it
// opens it: the entry is the citizen's (see internal/ledger/doc.go). Without
// this script the receipts can still be downloaded and checked with
// `maeul ledger verify-receipt`.
(function () {
  'use strict';

  var table = document.querySelector('table[data-vkey]');
  if (!table || !window.crypto || !crypto.subtle || !window.fetch || !window.TextEncoder || !window.TextDecoder) {
    return;
  }

  function msg(name) {
    return table.getAttribute('data-msg-' + name) || '';
  }

  function b64(s) {
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out;
  }

  function concat(a, b, c) {
    var out = new Uint8Array(a.length + b.length + (c ? c.length : 0));
    out.set(a, 0);
    out.set(b, a.length);
    if (c) {
      out.set(c, a.length + b.length);
    }
    return out;
  }

  function sha256(bytes) {
    return crypto.subtle.digest('SHA-256', bytes).then(function (d) { return new Uint8Array(d); });
  }

  function equal(a, b) {
    if (a.length !== b.length) {
      return false;
    }
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        return false;
      }
    }
    return true;
  }

  // verifyNote checks the log's signature on a signed note and returns the
  // note's text. vkey is "name+hash+base64(0x01 || public key)".
  function verifyNote(note, vkey) {
    var parts = vkey.trim().split('+');
    var name = parts[0];
    var key = b64(parts[2]);
    var split = note.lastIndexOf('\n\n');
    var text = note.slice(0, split + 1);
    var line = note.slice(split + 2).split('\n').filter(function (l) {
      return l.indexOf('\u2014 ' + name + ' ') === 0;
    })[0];
    if (!line || key[0] !== 1) {
      return Promise.reject(new Error('no signature of the log'));
    }
    var sig = b64(line.slice(('\u2014 ' + name + ' ').length));
    var hash = parts[1];
    var sigHash = Array.prototype.map.call(sig.slice(0, 4), function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
    if (sigHash !== hash) {
      return Promise.reject(new Error('another key'));
    }
    return crypto.subtle.importKey('raw', key.slice(1), { name: 'Ed25519' }, false, ['verify']).then(function (k) {
      return crypto.subtle.verify({ name: 'Ed25519' }, k, sig.slice(4), new TextEncoder().encode(text));
    }).then(function (ok) {
      if (!ok) {
        throw new Error('bad signature');
      }
      return text;
    });
  }

  // rootFromProof recomputes the tree root from a leaf hash and its
  // inclusion proof (RFC 9162, section 2.1.3.2).
  function rootFromProof(index, size, leaf, proof) {
    var fn = index;
    var sn = size - 1;
    var r = Promise.resolve(leaf);
    proof.forEach(function (p) {
      r = r.then(function (h) {
        if (sn === 0) {
          throw new Error('proof too long');
        }
        var next;
        if (fn % 2 === 1 || fn === sn) {
          next = sha256(concat(new Uint8Array([1]), p, h));
          if (fn % 2 === 0) {
            while (fn % 2 === 0 && fn !== 0) {
              fn = Math.floor(fn / 2);
              sn = Math.floor(sn / 2);
            }
          }
        } else {
          next = sha256(concat(new Uint8Array([1]), h, p));
        }
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
        return next;
      });
    });
    return r.then(function (h) {
      if (sn !== 0) {
        throw new Error('proof too short');
      }
      return h;
    });
  }

  function b64url(bytes) {
    var bin = '';
    for (var i = 0; i < bytes.length; i++) {
      bin += String.fromCharCode(bytes[i]);
    }
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  // opens resolves to whether the receipt's opening opens the subject of
  // its entry: "c-" + base64url(SHA-256("maeul ledger subject v2" || 0 ||
  // owner || 0 || salt)); to null when the receipt has no opening.
  function opens(receipt) {
    if (!receipt.opening) {
      return Promise.resolve(null);
    }
    var entry = JSON.parse(new TextDecoder().decode(b64(receipt.entry)));
    var prefix = new TextEncoder().encode('maeul ledger subject v2\u0000' + receipt.opening.owner + '\u0000');
    return sha256(concat(prefix, b64(receipt.opening.salt))).then(function (h) {
      return typeof entry.subject === 'string' && entry.subject === 'c-' + b64url(h);
    });
  }

  function check(button, status) {
    status.textContent = msg('checking');
    var receipt;
    Promise.all([
      fetch(button.getAttribute('data-receipt'), { credentials: 'same-origin' }).then(function (r) { return r.json(); }),
      fetch(table.getAttribute('data-vkey')).then(function (r) { return r.text(); })
    ]).then(function (got) {
      receipt = got[0];
      return verifyNote(receipt.checkpoint, got[1]);
    }).then(function (text) {
      var lines = text.split('\n');
      var size = parseInt(lines[1], 10);
      var root = b64(lines[2]);
      if (!(receipt.index < size)) {
        throw new Error('beyond the checkpoint');
      }
      return sha256(concat(new Uint8Array([0]), b64(receipt.entry))).then(function (leaf) {
        return rootFromProof(receipt.index, size, leaf, (receipt.proof || []).map(b64));
      }).then(function (computed) {
        if (!equal(computed, root)) {
          throw new Error('not in the tree');
        }
        return opens(receipt);
      }).then(function (mine) {
        if (mine === false) {
          throw new Error('the opening does not open the subject');
        }
        var said = msg('ok').replace('{index}', String(receipt.index + 1)).replace('{size}', String(size));
        status.textContent = mine ? said + ' ' + msg('mine') : said;
      });
    }).catch(function () {
      status.textContent = msg('bad');
    });
  }

  Array.prototype.forEach.call(table.querySelectorAll('button[data-receipt]'), function (button) {
    var status = button.parentNode.querySelector('.receipt-status');
    button.hidden = false;
    button.addEventListener('click', function () { check(button, status); });
  });
})();
