// The wallet's storage in this browser's IndexedDB: the cards, each with
// its own holder key pair, and the history of what was asked. A CryptoKey
// is stored by structured clone, which keeps a non-extractable private key
// non-extractable: no script, this one included, can ever read it out.

const NAME = 'maeul-wallet';
const VERSION = 1;

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(NAME, VERSION);
    req.onupgradeneeded = () => {
      req.result.createObjectStore('cards', { keyPath: 'id', autoIncrement: true });
      req.result.createObjectStore('history', { keyPath: 'id', autoIncrement: true });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// run calls fn with the named stores in one transaction and resolves, with
// what fn's last request produced, once the transaction has committed.
async function run(stores, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(stores, mode);
    let result;
    const req = fn(...stores.map((s) => tx.objectStore(s)));
    if (req) {
      req.onsuccess = () => { result = req.result; };
    }
    tx.oncomplete = () => { db.close(); resolve(result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
    tx.onabort = () => { db.close(); reject(tx.error); };
  });
}

export function allCards() {
  return run(['cards'], 'readonly', (s) => s.getAll());
}

// addCards stores a batch at once: a half-stored batch would leave keys
// without cards.
export function addCards(cards) {
  return run(['cards'], 'readwrite', (s) => {
    cards.forEach((c) => s.add(c));
  });
}

export function putCard(card) {
  return run(['cards'], 'readwrite', (s) => s.put(card));
}

export function addHistory(entry) {
  return run(['history'], 'readwrite', (s) => s.add(entry));
}

export function allHistory() {
  return run(['history'], 'readonly', (s) => s.getAll());
}

export function removeAll() {
  return run(['cards', 'history'], 'readwrite', (cards, history) => {
    cards.clear();
    history.clear();
  });
}
