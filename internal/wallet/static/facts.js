// A card's facts in plain words: the catalogue's label of a claim and its
// value as a person reads it (Yes/No, a district's name, an age group).

import { msg, page } from './common.js';

export function label(path) {
  const key = path.join('.');
  return page.claims[key] || key;
}

export function ageGroup(bracket) {
  const s = String(bracket);
  if (s.endsWith('+')) {
    return msg('age_over', s.slice(0, -1));
  }
  const [from, to] = s.split('-');
  return to === undefined ? s : msg('age_range', from, to);
}

export function value(path, v) {
  if (typeof v === 'boolean') {
    return msg(v ? 'yes' : 'no');
  }
  const last = path[path.length - 1];
  if (last === 'district') {
    return page.districts[v] || String(v);
  }
  if (last === 'living_zone') {
    return page.zones[v] || String(v);
  }
  if (last === 'age_bracket') {
    return ageGroup(v);
  }
  if (v && typeof v === 'object') {
    return Object.entries(v).map(([k, x]) => value([...path, k], x)).join(', ');
  }
  return String(v);
}
