// The map of the "15-minute city" pages: the facilities nearest a citizen
// (/places) and the planner's choropleth of the living zones. It only adds to
// the page: the same facilities (or zone figures) are already listed before
// the map and work without JavaScript, so when the data island or Leaflet is
// missing this script does nothing.
//
// The page includes /static/vendor/leaflet/leaflet.js, then this file (both
// with defer, or at the end of the body: the script looks for the map once,
// when it runs), the stylesheets leaflet.css and placesmap.css, an empty
// <div id="places-map"> with an accessible name (role="region" and
// aria-labelledby; texts.mapLabel is the fallback), and the data island
// <script type="application/json" id="places-map-data">:
//
//   {
//     "mode": "places" | "choropleth",
//     "tileURL": "",          // optional raster tiles "https://…/{z}/{x}/{y}.png"; empty (the default)
//                             // draws no basemap, so no outside server is asked. A tile server must
//                             // also be allowed by the page's img-src.
//     "tileAttribution": "",  // HTML shown with the tiles (e.g. "© OpenStreetMap")
//     "texts": {              // every visible string, in the page's language
//       "mapLabel":  "…",     // the map's name when the page gave it none
//       "keys":      "…",     // optional hint shown under the map: arrows move, + and − zoom
//       "zoomIn": "…", "zoomOut": "…", "close": "…",  // names of the buttons
//       "origin":    "출발 위치",
//       "minutes":   "약 %d분",   // %d is the walking time
//       "open":      "자세히 보기", // the popup's link
//       "event":     "행사", "eventSymbol": "행",
//       "legend":    "…",     // the legend's title
//       "legendStep": "%d–%d %", // choropleth: one step of the scale, from and to in per cent
//       "noData":    "…",     // choropleth: a zone without a value
//       "group":     "시설 %d곳" // a marker standing for places too close to tell apart
//     },
//     "zones": { GeoJSON FeatureCollection of (Multi)Polygons; properties: code, name, population,
//                and in choropleth mode value (0..1, or null) and label (e.g. "73 %") },
//     "origin": { "lon": 129.16, "lat": 35.16, "label": "우동" } or null,
//     "categories": [ { "code": "senior", "label": "노인복지관", "symbol": "노" } ],
//     "facilities": [ { "id": 12, "name": "…", "category": "senior", "lon": 129.1, "lat": 35.1,
//                       "minutes": 12, "distance": "850 m", "url": "/places/facilities/12" } ],
//     "events": [ same shape as facilities, with "when" (e.g. "5월 3일 14시") instead of "category" ]
//   }
//
// The site's CSP forbids inline scripts and style attributes, so content is
// built as DOM nodes (never HTML strings) and styled by class.
(function () {
  'use strict';

  const box = document.getElementById('places-map');
  const island = document.getElementById('places-map-data');
  if (!box || !island || typeof window.L !== 'object') {
    return;
  }
  let data;
  try {
    data = JSON.parse(island.textContent);
  } catch (e) {
    return;
  }
  const L = window.L;
  const texts = data.texts || {};
  const choropleth = data.mode === 'choropleth';
  const steps = 5;

  function t(key) {
    return texts[key] || '';
  }

  // fmt fills each %d of a catalogue text in turn.
  function fmt(s) {
    const args = Array.prototype.slice.call(arguments, 1);
    let i = 0;
    return s.replace(/%d/g, () => String(args[i++]));
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text) {
      e.textContent = text;
    }
    return e;
  }

  function stepOf(value) {
    return Math.max(0, Math.min(steps - 1, Math.floor(value * steps)));
  }

  function hasValue(p) {
    return typeof p.value === 'number' && isFinite(p.value);
  }

  // Colours come from placesmap.css classes so that the site's high-contrast
  // mode can restyle them; the symbol and the shape always say the same.
  const catIndex = {};
  const catLabel = {};
  const catSymbol = {};
  (data.categories || []).forEach((c, i) => {
    catIndex[c.code] = i;
    catLabel[c.code] = c.label;
    catSymbol[c.code] = c.symbol;
  });

  const points = [];
  (data.facilities || []).forEach((f) => {
    points.push({ item: f, event: false, kind: catLabel[f.category] || '', symbol: catSymbol[f.category] || '',
      colour: 'pm-c' + ((catIndex[f.category] || 0) % 6) });
  });
  (data.events || []).forEach((ev) => {
    points.push({ item: ev, event: true, kind: t('event'), symbol: t('eventSymbol') || t('event').charAt(0),
      colour: 'pm-ev' });
  });
  // Nearest first, as in the list before the map: this is also the order
  // in which Tab reaches the markers.
  points.sort((a, b) => (a.item.minutes || 0) - (b.item.minutes || 0));
  points.forEach((p) => {
    p.latlng = L.latLng(p.item.lat, p.item.lon);
  });
  const origin = data.origin && typeof data.origin.lat === 'number' ? data.origin : null;

  function zoneStyle(feature) {
    const p = feature.properties || {};
    let cls = 'pm-zone';
    if (choropleth) {
      cls += hasValue(p) ? ' pm-step' + stepOf(p.value) : ' pm-nodata';
    }
    // Fill colours are in the CSS classes; only the opacity depends on
    // whether a basemap has to show through.
    return { className: cls, weight: 1, fillOpacity: data.tileURL ? (choropleth ? 0.7 : 0.15) : 1 };
  }

  const zoneLayer = data.zones && data.zones.features && data.zones.features.length ?
    L.geoJSON(data.zones, { style: zoneStyle, interactive: choropleth }) : null;

  let bounds = L.latLngBounds([]);
  if (!choropleth) {
    points.forEach((p) => bounds.extend(p.latlng));
    if (origin) {
      bounds.extend([origin.lat, origin.lon]);
    }
  }
  if (!bounds.isValid() && zoneLayer) {
    bounds = zoneLayer.getBounds();
  }
  if (!bounds.isValid()) {
    return;
  }

  // Users who ask for reduced motion get a map that jumps instead of gliding.
  const still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  box.classList.add('pm-map');
  if (!box.hasAttribute('aria-label') && !box.hasAttribute('aria-labelledby')) {
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', t('mapLabel'));
  }

  const map = L.map(box, {
    zoomControl: false,
    attributionControl: !!data.tileURL,
    // The wheel would zoom the map while the user only meant to scroll the
    // page past it; the buttons, + and − and pinching still zoom.
    scrollWheelZoom: false,
    zoomAnimation: !still,
    fadeAnimation: !still,
    markerZoomAnimation: !still,
    inertia: !still,
    minZoom: 8,
    maxZoom: 18,
    // Fractional zooms let the first view fill the map with the zones.
    zoomSnap: 0.25,
  });
  if (still) {
    // Leaflet animates every pan (keyboard, popups kept in view, panning to
    // a focused marker) unless each call says otherwise, and those calls are
    // inside Leaflet; so this map's panBy always says so.
    const panBy = map.panBy;
    map.panBy = function (offset, options) {
      return panBy.call(this, offset, L.extend({}, options, { animate: false }));
    };
  }
  map.fitBounds(bounds, { padding: [48, 48], maxZoom: 16, animate: false });

  // Leaflet's buttons are links with role=button, which Enter follows but
  // Space, the other key of a button, would only scroll the page.
  function spaceClicks(link) {
    link.addEventListener('keydown', (e) => {
      if (e.key === ' ') {
        e.preventDefault();
        link.click();
      }
    });
  }

  const zoom = L.control.zoom({ zoomInTitle: t('zoomIn'), zoomOutTitle: t('zoomOut') }).addTo(map);
  zoom.getContainer().querySelectorAll('a').forEach(spaceClicks);
  if (data.tileURL) {
    map.attributionControl.setPrefix(false);
    L.tileLayer(data.tileURL, { attribution: data.tileAttribution || '', maxZoom: 18 }).addTo(map);
  }

  // One popup at a time; closing it (Escape, its button, another popup)
  // gives focus back to the marker or zone that opened it, since the
  // popup's own nodes are gone by then.
  let open = null;

  function openPopup(latlng, content, source, offsetY) {
    // The popup is panned clear of the zoom buttons, which would otherwise
    // cover its first line. Its width leaves room for them, its margins
    // (placesmap.css: 12 px, and 44 px for the close button) and the pan
    // padding, so it fits a phone's map; at 200 % text it may be taller
    // than the map, and then scrolls (its link scrolls into view on focus).
    const controls = zoom.getContainer();
    const left = controls.offsetLeft + controls.offsetWidth + 8;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const popup = L.popup({
      maxWidth: Math.max(120, Math.min(320, box.clientWidth - left - 72)),
      maxHeight: Math.max(120, box.clientHeight - rem - 48),
      autoPanPaddingTopLeft: [left, 8],
      autoPanPaddingBottomRight: [8, 8],
      offset: [0, 7 - (offsetY || 0)],
    }).setLatLng(latlng).setContent(content);
    popup.on('remove', () => {
      const a = document.activeElement;
      if (!a || a === document.body || content.contains(a) || (popup.getElement() && popup.getElement().contains(a))) {
        source.focus({ preventScroll: true });
      }
      if (open === popup) {
        open = null;
      }
    });
    open = popup;
    popup.openOn(map);
    const close = popup.getElement().querySelector('.leaflet-popup-close-button');
    if (close) {
      close.setAttribute('aria-label', t('close'));
      spaceClicks(close);
    }
    content.focus({ preventScroll: true });
  }

  box.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      map.closePopup(open);
    }
  });

  // activate makes a marker or a zone work like a button: Enter and Space
  // (the keys of role=button) and a click open its popup.
  function activate(node, layer, show) {
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    node.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        show(null);
      }
    });
    layer.on('click', (e) => show(e.latlng));
  }

  function popupContent(title, lines, link) {
    const c = el('div', 'pm-popup');
    // Focus moves here when the popup opens, so a screen reader reads it
    // and Tab goes on to its link.
    c.setAttribute('tabindex', '-1');
    c.setAttribute('role', 'group');
    c.setAttribute('aria-label', title);
    c.appendChild(el('p', 'pm-popup-title', title));
    lines.filter(Boolean).forEach((line) => c.appendChild(el('p', 'pm-popup-line', line)));
    if (link) {
      const p = el('p', 'pm-popup-link');
      const a = el('a', '', t('open'));
      a.href = link;
      p.appendChild(a);
      c.appendChild(p);
    }
    return c;
  }

  if (zoneLayer) {
    zoneLayer.addTo(map);
    if (choropleth) {
      zoneLayer.eachLayer((layer) => {
        const p = layer.feature.properties || {};
        const label = hasValue(p) ? p.label : t('noData');
        const node = layer.getElement();
        node.setAttribute('aria-label', p.name + ': ' + label);
        // A zone's own outline is half hidden under the zones drawn after
        // it, so focus also draws a ring on top of them all (a separate,
        // unfocusable layer: moving the zone itself to the top would change
        // the Tab order).
        const ring = L.layerGroup([
          L.geoJSON(layer.feature, { interactive: false, style: { className: 'pm-ring-outer', fill: false, weight: 8 } }),
          L.geoJSON(layer.feature, { interactive: false, style: { className: 'pm-ring-inner', fill: false, weight: 3 } }),
        ]);
        node.addEventListener('focus', () => {
          ring.addTo(map);
          map.panInside(layer.getCenter(), { padding: [40, 40] });
        });
        node.addEventListener('blur', () => ring.remove());
        activate(node, layer, (at) => openPopup(at || layer.getCenter(), popupContent(p.name, [label]), node));
      });
    }
  }

  if (!choropleth && origin) {
    const o = el('span', 'pm-origin-label', origin.label);
    const icon = L.divIcon({ className: 'pm-origin', html: o, iconSize: null });
    const m = L.marker([origin.lat, origin.lon], { icon: icon, interactive: false, keyboard: false }).addTo(map);
    m.getElement().setAttribute('role', 'img');
    m.getElement().setAttribute('aria-label', t('origin') + ': ' + origin.label);
  }

  // Markers are at least 44 px wide, so places close together would cover
  // each other and leave neither a usable target (WCAG 2.5.8). Places whose
  // markers would overlap at the current zoom share one marker that says
  // how many they are and opens a popup listing each; zooming in splits it.
  function groups() {
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const apart = Math.max(44, 2.5 * rem) + 8; // placesmap.css: .pm-marker's size, and a margin
    const out = [];
    points.forEach((p) => {
      const at = map.latLngToLayerPoint(p.latlng);
      const g = out.find((g) => g.at.distanceTo(at) < apart);
      if (g) {
        g.points.push(p);
      } else {
        out.push({ at: at, points: [p] });
      }
    });
    return out;
  }

  function describe(p) {
    const f = p.item;
    const minutes = typeof f.minutes === 'number' ? fmt(t('minutes'), f.minutes) : '';
    return { name: f.name, label: [f.name, p.kind, f.when, minutes].filter(Boolean).join(', '),
      line: [minutes, f.distance].filter(Boolean).join(' · ') };
  }

  function groupContent(title, members) {
    const c = el('div', 'pm-popup');
    c.setAttribute('tabindex', '-1');
    c.setAttribute('role', 'group');
    c.setAttribute('aria-label', title);
    c.appendChild(el('p', 'pm-popup-title', title));
    const ul = el('ul', 'pm-popup-list');
    members.forEach((p) => {
      const li = el('li');
      const a = el('a', '', describe(p).name);
      a.href = p.item.url;
      li.appendChild(a);
      li.appendChild(el('span', 'pm-popup-line', ' ' + [p.kind, describe(p).line].filter(Boolean).join(' · ')));
      ul.appendChild(li);
    });
    c.appendChild(ul);
    return c;
  }

  let markers = null;
  function drawMarkers() {
    if (markers) {
      markers.remove();
    }
    markers = L.layerGroup().addTo(map);
    groups().forEach((g) => {
      const first = g.points[0];
      const many = g.points.length > 1;
      const sym = el('span', 'pm-symbol', many ? String(g.points.length) : first.symbol);
      sym.setAttribute('aria-hidden', 'true');
      // iconSize null leaves the size to the CSS, which grows it with the
      // text size and keeps it at least 44 px.
      const cls = many ? 'pm-marker pm-group' : 'pm-marker ' + first.colour + (first.event ? ' pm-event' : '');
      const icon = L.divIcon({ className: cls, html: sym, iconSize: null });
      const m = L.marker(first.latlng, { icon: icon, keyboard: false, autoPanOnFocus: false, riseOnHover: true }).addTo(markers);
      const node = m.getElement();
      const title = many ? fmt(t('group'), g.points.length) : first.item.name;
      node.setAttribute('aria-label', many ? title + ': ' + g.points.map((p) => describe(p).label).join('; ') : describe(first).label);
      node.addEventListener('focus', () => map.panInside(first.latlng, { padding: [40, 40] }));
      activate(node, m, () => openPopup(first.latlng, many ? groupContent(title, g.points) :
        popupContent(first.item.name, [first.kind, first.item.when, describe(first).line], first.item.url),
      node, node.offsetHeight / 2));
    });
  }

  if (!choropleth) {
    drawMarkers();
    map.on('zoomend', drawMarkers);
  }

  // The legend sits under the map rather than on it, so that at 200 % text
  // or on a phone it never covers what it explains. Every step and symbol
  // is written out: colour alone carries no meaning (WCAG 1.4.1).
  const legend = el('div', 'pm-legend');
  const title = el('p', 'pm-legend-title', t('legend'));
  title.id = 'places-map-legend';
  const list = el('ul', 'pm-legend-list');
  list.setAttribute('aria-labelledby', title.id);

  function entry(swatch, text) {
    const li = el('li');
    swatch.setAttribute('aria-hidden', 'true');
    li.appendChild(swatch);
    li.appendChild(el('span', 'pm-legend-text', text));
    list.appendChild(li);
  }

  if (choropleth) {
    for (let i = 0; i < steps; i++) {
      entry(el('span', 'pm-swatch pm-step' + i), fmt(t('legendStep'), i * 100 / steps, (i + 1) * 100 / steps));
    }
    if (zoneLayer && data.zones.features.some((f) => !hasValue(f.properties || {}))) {
      entry(el('span', 'pm-swatch pm-nodata'), t('noData'));
    }
  } else {
    if (origin) {
      entry(el('span', 'pm-origin pm-legend-marker'), t('origin'));
    }
    const seen = {};
    points.forEach((p) => {
      const key = p.event ? '' : p.item.category;
      if (seen[key]) {
        return;
      }
      seen[key] = true;
      const s = el('span', 'pm-marker pm-legend-marker ' + p.colour + (p.event ? ' pm-event' : ''));
      s.appendChild(el('span', 'pm-symbol', p.symbol));
      entry(s, p.kind);
    });
  }
  if (list.children.length) {
    legend.appendChild(title);
    legend.appendChild(list);
  }
  if (t('keys')) {
    const hint = el('p', 'pm-keys', t('keys'));
    hint.id = 'places-map-keys';
    legend.appendChild(hint);
    const described = box.getAttribute('aria-describedby');
    box.setAttribute('aria-describedby', described ? described + ' ' + hint.id : hint.id);
  }
  if (legend.children.length) {
    box.parentNode.insertBefore(legend, box.nextSibling);
  }
})();
