// Which of the cards of a batch to show a verifier. Every card of a batch
// has its own holder key, salts and signature; showing each verifier a
// different one keeps two verifiers from linking their records, and showing
// a verifier the card it saw before tells it nothing new.

// pick orders the candidates and returns the first: the card already shown
// to clientId, else one never shown to anyone, else the least used; among
// equals the newest batch, then the first stored. Candidates are
// {record, ...} with record = {id, received, shownTo, uses}.
export function pick(candidates, clientId) {
  const key = (c) => [c.record.shownTo.includes(clientId) ? 0 : 1, c.record.uses, -c.record.received, c.record.id];
  return [...candidates].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i]) {
        return ka[i] - kb[i];
      }
    }
    return 0;
  })[0];
}

// shown records that clientId was shown the card.
export function shown(record, clientId) {
  return {
    ...record,
    uses: record.uses + 1,
    shownTo: record.shownTo.includes(clientId) ? record.shownTo : [...record.shownTo, clientId],
  };
}
