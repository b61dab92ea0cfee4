// The HTML map's script: reads the embedded JSON and draws, for each map, the
// virtual address column (regions, mappings), the physical column (RAM,
// reserved, tables, no-map) with a band from every mapping to its physical
// range, and a chart of table memory per level.  Addresses are 64-bit, so
// they are BigInt throughout; only offsets within a segment become Numbers.
//
// The axis is cut into segments at every region boundary.  In the log
// scale a segment's height grows with the log of its size; in the linear
// scale with its size, except that unused gaps are shrunk to a sliver.
#include "report/html/page_assets.h"

namespace ptsim::report::html {

const char* const kPageScript = R"JS(
'use strict';
const DATA = JSON.parse(document.getElementById('ptsim-data').textContent);
let svgNamespace = null;
const state = { scale: 'log', view: null, selected: null };
const PERM_COLOURS = {
  'RW': '#6fbf73', 'RO': '#6aa5e0', 'RX': '#f0a040', 'RWX': '#e04a4a',
  'USR RW': '#a98bd6', 'USR RO': '#c4b3e6', 'USR RX': '#d88ad8', 'USR RWX': '#b03090'
};
const MEMTYPE_COLOURS = {
  'normal': '#3c8d40', 'tagged': '#1b5e20', 'normal-nc': '#c9b037', 'device': '#c0392b',
  'unknown': '#999999'
};
const KIND_COLOURS = { 'block': '#34495e', 'page': '#c8d0da', 'contiguous': '#7f8c9d' };
const PHYS_COLOURS = {
  'ram': '#d9ead3', 'device': '#f4cccc', 'io': '#f4cccc', 'reserved': '#e69138',
  'table': '#674ea7', 'nomap': '#cc0000'
};
const TOP = 2n ** 64n;

function big(h) { return BigInt(h); }
function hex(v) { return '0x' + v.toString(16); }
function human(v) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let u = 0;
  let n = Number(v);
  while (n >= 1024 && u < units.length - 1) { n /= 1024; ++u; }
  return (Number.isInteger(n) ? n : n.toFixed(1)) + ' ' + units[u];
}
function el(name, attrs, parent) {
  const e = svgNamespace ? document.createElementNS(svgNamespace, name) : null;
  for (const [k, v] of Object.entries(attrs || {})) { e.setAttribute(k, v); }
  if (parent) { parent.appendChild(e); }
  return e;
}
function tip(e, text) { const t = el('title', {}, e); t.textContent = text; return e; }
function html(name, attrs, parent, text) {
  const e = document.createElement(name);
  for (const [k, v] of Object.entries(attrs || {})) { e.setAttribute(k, v); }
  if (text !== undefined) { e.textContent = text; }
  if (parent) { parent.appendChild(e); }
  return e;
}
function kindOf(m) { return m.contiguous ? 'contiguous' : m.kind; }

// Prepared once per map: BigInt addresses.
const maps = DATA.maps.map((m, i) => ({
  index: i, raw: m,
  regions: m.regions.map(r => ({ name: r.name, first: big(r.first), end: big(r.last) + 1n })),
  mappings: m.mappings.map((x, j) => ({
    index: j, raw: x, first: big(x.first), end: big(x.last) + 1n, pa: big(x.pa)
  })),
  phys: m.phys.map(p => ({ kind: p.kind, label: p.label, base: big(p.base), end: big(p.base) + big(p.size) }))
}));
// The mapped extents: mappings that touch merged whatever their attributes,
// so that an axis can give the mapped part of a region its own segment.
for (const map of maps) {
  map.extents = [];
  const sorted = [...map.mappings].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  for (const m of sorted) {
    const last = map.extents[map.extents.length - 1];
    if (last && m.first <= last.end) {
      if (m.end > last.end) { last.end = m.end; }
      continue;
    }
    map.extents.push({ first: m.first, end: m.end });
  }
  if (map.extents.length > 300) { map.extents.length = 300; }
}
const diffRanges = ((DATA.diff || {}).ranges || []).map(r => ({
  first: big(r.va_start), end: big(r.va_end), raw: r
}));

// An axis over [first, end): segments between the breakpoints, each marked
// used or not, laid out over `height` pixels.
function buildAxis(first, end, spans, height, scale) {
  const points = new Set([first, end]);
  for (const s of spans) {
    if (s.first > first && s.first < end) { points.add(s.first); }
    if (s.end > first && s.end < end) { points.add(s.end); }
  }
  const sorted = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const segs = [];
  for (let i = 0; i + 1 < sorted.length; ++i) {
    const a = sorted[i], b = sorted[i + 1];
    const used = spans.some(s => s.first <= a && s.end >= b);
    segs.push({ first: a, end: b, size: b - a, used });
  }
  let usedTotal = 0;
  for (const s of segs) { if (s.used) { usedTotal += Number(s.size); } }
  if (usedTotal === 0) { usedTotal = Number(end - first); }
  for (const s of segs) {
    const n = Number(s.size);
    if (scale === 'log') {
      s.weight = s.used ? Math.max(1, Math.log2(n) - 10) : 1.5;
    } else {
      s.weight = s.used ? n : Math.min(n, usedTotal * 0.01);
    }
  }
  const total = segs.reduce((t, s) => t + s.weight, 0);
  const minPx = 2;
  const scaleBy = (height - minPx * segs.length) / total;
  let y = 0;
  for (const s of segs) {
    s.y = y;
    s.h = minPx + s.weight * scaleBy;
    y += s.h;
  }
  return {
    segs, first, end, height,
    y(v) {
      if (v <= first) { return 0; }
      if (v >= end) { return height; }
      let lo = 0, hi = segs.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (segs[mid].first <= v) { lo = mid; } else { hi = mid - 1; }
      }
      const s = segs[lo];
      return s.y + s.h * (Number(v - s.first) / Number(s.size));
    }
  };
}

// Labels at their wanted y, pushed apart so that none overlaps the last.
function placeLabels(items, gap, height) {
  items.sort((a, b) => a.y - b.y);
  let last = -Infinity;
  for (const it of items) {
    it.ly = Math.max(it.y, last + gap);
    last = it.ly;
  }
  const over = last - (height - 2);
  if (over > 0) {
    for (let i = items.length - 1, limit = height - 2; i >= 0; --i) {
      items[i].ly = Math.min(items[i].ly, limit);
      limit = items[i].ly - gap;
    }
  }
  return items;
}

const GEOM = {
  top: 24, height: 900, labelX: 172, vaX: 178, vaW: 110, laneW: 10,
  linkX0: 312, paX: 470, paW: 60, paLabelX: 568, width: 740
};

function currentView(map) {
  if (state.view) { return state.view; }
  return { first: 0n, end: TOP };
}

function regionDepth(map, r) {
  return map.regions.filter(o => o !== r && o.first <= r.first && o.end >= r.end &&
                                 (o.end - o.first) > (r.end - r.first)).length;
}

function drawMap(map, panel) {
  const raw = map.raw;
  html('h2', {}, panel, raw.title);
  html('p', { class: 'subtitle' }, panel, raw.subtitle);
  const svg = el('svg', { width: GEOM.width, height: GEOM.top + GEOM.height + 10, class: 'map',
                          'data-map': map.index }, panel);
  const view = currentView(map);
  const visible = r => r.end > view.first && r.first < view.end;
  const vaAxis = buildAxis(view.first, view.end, map.regions.filter(visible).concat(map.extents.filter(visible)),
                           GEOM.height, state.scale);
  const Y = v => GEOM.top + vaAxis.y(v);
  el('text', { x: GEOM.vaX, y: 12, class: 'axis-title' }, svg).textContent = 'virtual';
  el('text', { x: GEOM.paX, y: 12, class: 'axis-title' }, svg).textContent = 'physical';

  // Gaps, then regions (outer first), then their labels.
  for (const s of vaAxis.segs) {
    if (!s.used) {
      tip(el('rect', { x: GEOM.vaX, y: GEOM.top + s.y, width: GEOM.vaW + 2 * GEOM.laneW + 4,
                       height: Math.max(s.h, 0.5), class: 'gap' }, svg),
          'unused ' + hex(s.first) + '-' + hex(s.end) + ' (' + human(s.size) + ')');
    }
  }
  const labels = [];
  const regions = map.regions.filter(visible).map(r => ({ r, depth: regionDepth(map, r) }));
  regions.sort((a, b) => a.depth - b.depth);
  for (const { r, depth } of regions) {
    const y0 = Y(r.first > view.first ? r.first : view.first);
    const y1 = Y(r.end < view.end ? r.end : view.end);
    const g = tip(el('rect', { x: GEOM.vaX + depth * 4, y: y0, width: GEOM.vaW - depth * 8,
                               height: Math.max(y1 - y0, 1), class: 'region',
                               fill: depth ? '#fbf3dc' : '#f3f6fa', 'data-region': r.name }, svg),
                  r.name + ' ' + hex(r.first) + '-' + hex(r.end) + ' (' + human(r.end - r.first) + ')');
    g.addEventListener('click', () => zoomTo(r.first, r.end, r.name));
    labels.push({ y: (y0 + y1) / 2 + 3, r, depth });
  }
  for (const it of placeLabels(labels, 11, GEOM.top + GEOM.height)) {
    const t = el('text', { x: GEOM.labelX, y: it.ly, 'text-anchor': 'end', class: 'region-label',
                           'data-region': it.r.name, 'font-style': it.depth ? 'italic' : 'normal' }, svg);
    t.textContent = it.r.name + ' ' + human(it.r.end - it.r.first);
    t.addEventListener('click', () => zoomTo(it.r.first, it.r.end, it.r.name));
  }

  // The physical column: RAM and device ranges plus whatever is mapped
  // outside them.
  const paSpans = map.phys.filter(p => p.kind === 'ram' || p.kind === 'device' || p.kind === 'nomap')
                          .map(p => ({ first: p.base, end: p.end }));
  for (const m of map.mappings) {
    if (m.raw.runs > 1) { continue; }
    const pend = m.pa + (m.end - m.first);
    if (!paSpans.some(s => s.first <= m.pa && s.end >= pend)) {
      paSpans.push({ first: m.pa, end: pend, io: true });
    }
  }
  const paFirst = paSpans.length ? paSpans.reduce((a, s) => (s.first < a ? s.first : a), paSpans[0].first) : 0n;
  const paEnd = paSpans.length ? paSpans.reduce((a, s) => (s.end > a ? s.end : a), paSpans[0].end) : 1n;
  const paAxis = buildAxis(paFirst, paEnd, paSpans, GEOM.height, state.scale);
  const PY = v => GEOM.top + paAxis.y(v);
  const lanes = { ram: 0, device: 0, nomap: 0, reserved: 1, table: 2 };
  const paLabels = [];
  for (const s of paSpans.filter(s => s.io)) {
    tip(el('rect', { x: GEOM.paX, y: PY(s.first), width: GEOM.paW, height: Math.max(PY(s.end) - PY(s.first), 1),
                     fill: PHYS_COLOURS.io, class: 'phys', 'data-kind': 'io' }, svg),
        'mapped I/O ' + hex(s.first) + '-' + hex(s.end));
  }
  for (const p of map.phys) {
    const lane = lanes[p.kind] || 0;
    const x = lane === 0 ? GEOM.paX : GEOM.paX + GEOM.paW + 2 + (lane - 1) * (GEOM.laneW + 2);
    const w = lane === 0 ? GEOM.paW : GEOM.laneW;
    const y0 = PY(p.base), y1 = PY(p.end);
    tip(el('rect', { x, y: y0, width: w, height: Math.max(y1 - y0, 1), fill: PHYS_COLOURS[p.kind] || '#ccc',
                     class: 'phys', 'data-kind': p.kind }, svg),
        p.label + ' (' + p.kind + ') ' + hex(p.base) + '-' + hex(p.end) + ' ' + human(p.end - p.base));
    if (lane === 0) {
      paLabels.push({ y: y0 + 10, text: hex(p.base) + ' ' + p.label });
    }
  }
  for (const it of placeLabels(paLabels, 11, GEOM.top + GEOM.height)) {
    el('text', { x: GEOM.paLabelX, y: it.ly, class: 'phys-label' }, svg).textContent = it.text;
  }

  // Mappings, their lanes and the bands to their physical ranges.
  const links = el('g', { class: 'links' }, svg);
  let drawnLinks = 0;
  for (const m of map.mappings) {
    if (!visible(m)) { continue; }
    const y0 = Y(m.first), y1 = Y(m.end);
    const h = Math.max(y1 - y0, 1.5);
    const x = m.raw;
    const rect = tip(el('rect', { x: GEOM.vaX + 8, y: y0, width: GEOM.vaW - 16, height: h,
                                  fill: PERM_COLOURS[x.perm] || '#888', class: 'mapping',
                                  'data-map': map.index, 'data-i': m.index }, svg),
                     hex(m.first) + '-' + hex(m.end) + ' ' + x.level + ' ' + x.perm + ' ' + x.memtype);
    rect.addEventListener('click', () => select(map, m));
    el('rect', { x: GEOM.vaX + GEOM.vaW + 2, y: y0, width: GEOM.laneW, height: h,
                 fill: MEMTYPE_COLOURS[x.memtype] || '#999', class: 'memtype-lane' }, svg);
    el('rect', { x: GEOM.vaX + GEOM.vaW + 4 + GEOM.laneW, y: y0, width: GEOM.laneW, height: h,
                 fill: KIND_COLOURS[kindOf(x)], class: 'kind-lane', 'data-kind': kindOf(x) }, svg);
    if (x.runs > 1 || drawnLinks >= 1500) { continue; }
    const pend = m.pa + (m.end - m.first);
    const p0 = PY(m.pa), p1 = Math.max(PY(pend), PY(m.pa) + 1);
    el('polygon', {
      points: [GEOM.linkX0, y0, GEOM.paX, p0, GEOM.paX, p1, GEOM.linkX0, y0 + h].join(' '),
      fill: PERM_COLOURS[x.perm] || '#888', opacity: 0.18, class: 'link',
      'data-map': map.index, 'data-i': m.index }, links);
    ++drawnLinks;
  }
  for (const d of diffRanges) {
    if (!visible(d)) { continue; }
    const y0 = Y(d.first > view.first ? d.first : view.first);
    const y1 = Y(d.end < view.end ? d.end : view.end);
    tip(el('rect', { x: GEOM.vaX - 3, y: y0 - 1, width: GEOM.vaW + 2 * GEOM.laneW + 10,
                     height: Math.max(y1 - y0, 1) + 2, class: 'diff-range' }, svg),
        'mapped differently: ' + hex(d.first) + '-' + hex(d.end));
  }
  drawCost(map, panel);
}

function drawCost(map, panel) {
  const cost = map.raw.table_cost;
  if (!cost.length) { return; }
  html('h2', {}, panel, 'Page-table memory per level');
  const rowH = 16;
  const svg = el('svg', { width: GEOM.width, height: cost.length * rowH + 6, id: 'cost-chart-' + map.index,
                          class: 'cost-chart' }, panel);
  const max = Math.max(...cost.map(c => c.bytes), 1);
  cost.forEach((c, i) => {
    const y = 3 + i * rowH;
    el('text', { x: 0, y: y + 11 }, svg).textContent = c.level;
    el('rect', { x: 130, y, width: Math.max(1, 360 * c.bytes / max), height: rowH - 4, class: 'cost-bar',
                 'data-level': c.level }, svg);
    el('text', { x: 500, y: y + 11 }, svg).textContent =
        c.tables + (c.tables === 1 ? ' table, ' : ' tables, ') + human(BigInt(c.bytes));
  });
  const total = cost.reduce((t, c) => t + c.bytes, 0);
  html('p', { class: 'cost-total' }, panel, 'total ' + human(BigInt(total)));
}

function select(map, m) {
  state.selected = { map: map.index, i: m.index };
  for (const e of document.querySelectorAll('.selected')) { e.classList.remove('selected'); }
  for (const e of document.querySelectorAll('[data-map="' + map.index + '"][data-i="' + m.index + '"]')) {
    e.classList.add('selected');
  }
  const x = m.raw;
  const sel = document.getElementById('selection');
  sel.textContent = '';
  const lines = [
    ['map', map.raw.title],
    ['table root', x.root],
    ['virtual', hex(m.first) + ' - ' + hex(m.end) + ' (' + human(m.end - m.first) + ')'],
    ['physical', x.runs > 1 ? hex(m.pa) + ' (first of ' + x.runs + ' aggregated runs)'
                            : hex(m.pa) + ' - ' + hex(m.pa + (m.end - m.first))],
    ['leaves', x.level + ' ' + kindOf(x) + (x.kind === 'block' ? ' mappings' : 's')],
    ['permission', x.perm],
    ['memory type', x.memtype],
    ['ptdump attributes', x.attrs.join(' ')]
  ];
  const dl = html('dl', { id: 'selection-facts' }, sel);
  for (const [k, v] of lines) {
    html('dt', {}, dl, k);
    html('dd', {}, dl, v);
  }
  const walk = document.getElementById('walk');
  walk.textContent = '';
  const head = html('tr', {}, walk);
  for (const h of ['level', 'table PA', 'index', 'descriptor', 'kind']) { html('th', {}, head, h); }
  for (const w of x.walk) {
    const tr = html('tr', { class: 'walk-row' }, walk);
    html('td', {}, tr, w.level);
    html('td', {}, tr, w.table);
    html('td', {}, tr, String(w.index));
    html('td', {}, tr, w.desc);
    html('td', {}, tr, w.kind);
  }
}

function zoomTo(first, end, name) {
  state.view = { first, end };
  document.getElementById('zoom-label').textContent = name + ': ' + hex(first) + ' - ' + hex(end);
  document.getElementById('zoom-out').disabled = false;
  render();
}

function drawLegend() {
  const legend = document.getElementById('legend');
  const group = (title, colours) => {
    const div = html('div', {}, legend);
    html('b', {}, div, title + ': ');
    for (const [name, colour] of Object.entries(colours)) {
      const item = html('span', { class: 'legend-item' }, div);
      html('span', { class: 'swatch', style: 'background:' + colour }, item);
      item.appendChild(document.createTextNode(name));
    }
  };
  group('permission (fill)', PERM_COLOURS);
  group('memory type (first lane)', MEMTYPE_COLOURS);
  group('leaves (second lane)', KIND_COLOURS);
  group('physical', PHYS_COLOURS);
}

function drawDiffList() {
  if (!diffRanges.length && !DATA.diff) { return; }
  const box = document.getElementById('diff-list');
  html('h2', {}, box, 'Ranges mapped differently: ' + diffRanges.length);
  for (const d of diffRanges.slice(0, 500)) {
    const side = s => (s ? s.level + ' ' + s.attrs.join(' ') + ' @' + s.pa_start : 'unmapped');
    const item = html('div', { class: 'diff-item' }, box,
                      hex(d.first) + '-' + hex(d.end) + '  A: ' + side(d.raw.a) + '  B: ' + side(d.raw.b));
    item.addEventListener('click', () => {
      const pad = (d.end - d.first) * 4n;
      const first = d.first > pad ? d.first - pad : 0n;
      const end = TOP - d.end > pad ? d.end + pad : TOP;
      zoomTo(first, end, 'difference');
    });
  }
}

function render() {
  const main = document.getElementById('maps');
  main.textContent = '';
  for (const map of maps) {
    drawMap(map, html('section', { class: 'map-panel', id: 'map-' + map.index }, main));
  }
  if (state.selected) {
    const map = maps[state.selected.map];
    select(map, map.mappings[state.selected.i]);
  }
}

function init() {
  if (maps.length > 1) { document.body.classList.add('diff'); }
  svgNamespace = document.querySelector('svg#ns-probe').namespaceURI;
  const notes = document.getElementById('notes');
  for (const map of maps) {
    for (const n of map.raw.notes) { html('li', {}, notes, n); }
  }
  const toggle = document.getElementById('scale-toggle');
  toggle.addEventListener('click', () => {
    state.scale = state.scale === 'log' ? 'linear' : 'log';
    document.body.dataset.scale = state.scale;
    toggle.textContent = 'Scale: ' + state.scale;
    render();
  });
  document.getElementById('zoom-out').addEventListener('click', () => {
    state.view = null;
    document.getElementById('zoom-label').textContent = '';
    document.getElementById('zoom-out').disabled = true;
    render();
  });
  drawLegend();
  drawDiffList();
  render();
}
init();
)JS";

}  // namespace ptsim::report::html
