/* annals serve: the page. Everything it shows comes from the JSON API of the
 * same server; every filter is in the URL under the API's parameter names. */
'use strict';

const FILTERS = ['actor', 'role', 'region', 'from', 'to', 'type', 'tag', 'text', 'source'];
const PAGE = 100;          /* events a list page holds */
const MARKS_MAX = 2000;    /* beyond this many events in view: density strips */
const LANES_MAX = 24;
const DAY = 86400;

const state = {
  filters: {},             /* name -> value */
  extent: null,            /* [lo, hi] seconds of the matching events */
  span: null,              /* /api/extent's answer for the filters */
  view: null,              /* [lo, hi] seconds shown */
  facets: null,
  actors: new Map(),       /* id -> the actor's facet: name, counts, parents */
  names: new Map(),        /* 'actor:ID', 'region:ID', 'source:ID' -> its name, for the chips */
  listOffset: 0,
  selected: null,          /* the event in the panel */
  generation: 0,
  seq: 0,                  /* answers to older requests are dropped */
  failed: false,           /* the filters have an error: the view is empty */
  drawnWidth: 0,           /* the timeline width the view was last drawn at */
};

const $ = (id) => document.getElementById(id);

/* An element: h('li', {class: 'x', onclick: f}, 'text', child...). Text is never parsed as HTML. */
function h(tag, attrs, ...kids) {
  const svg = ['svg', 'rect', 'circle', 'line', 'text', 'g', 'title'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag)
                 : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

/* ---- Dates: seconds on one proleptic Gregorian scale, as the database keeps them ---- */

function daysFromCivil(y, m, d) {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z) {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

/* "2014-06-01", "-0043-03-15", "2021-06-28T10:30:00Z" -> seconds; null for null. */
function isoSeconds(s, end) {
  if (!s) return null;
  const m = /^([+-]?\d+)-(\d\d)-(\d\d)(?:T(\d\d):(\d\d):(\d\d))?/.exec(s);
  if (!m) return null;
  let t = daysFromCivil(+m[1], +m[2], +m[3]) * DAY;
  if (m[4] !== undefined) return t + (+m[4]) * 3600 + (+m[5]) * 60 + (+m[6]);
  return end ? t + DAY - 1 : t;
}

/* A count as people read it: 1,000,000. */
function num(n) { return Number(n).toLocaleString('en-US'); }

function eventCount(n) { return num(n) + (n === 1 ? ' event' : ' events'); }

function pad(n, w) { return String(Math.abs(n)).padStart(w, '0'); }

/* Seconds -> an EDTF date the API reads: the day (or, far out, the year) holding t. */
function edtfOf(t) {
  const [y, m, d] = civilFromDays(Math.floor(t / DAY));
  if (y > 9999 || y < -9999) return 'Y' + y;
  return (y < 0 ? '-' : '') + pad(y, 4) + '-' + pad(m, 2) + '-' + pad(d, 2);
}

function yearOf(t) { return civilFromDays(Math.floor(t / DAY))[0]; }

function yearLabel(y) { return y > 0 ? String(y) : (1 - y) + ' BCE'; }

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dayLabel(t) {
  const [y, m, d] = civilFromDays(Math.floor(t / DAY));
  return d + ' ' + MONTHS[m - 1] + ' ' + yearLabel(y);
}

/* ---- The API ---- */

/* The filters (but the one named without) and extra as a query string. */
function query(extra, without) {
  const p = new URLSearchParams();
  for (const k of FILTERS) if (state.filters[k] && k !== without) p.set(k, state.filters[k]);
  for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}

async function api(path) {
  const r = await fetch(path, {headers: {Accept: 'application/json'}});
  const body = await r.json();
  if (!r.ok) {
    const e = new Error(body.error || r.statusText);
    e.status = r.status;
    throw e;
  }
  return body;
}

function showError(msg) {
  const el = $('error');
  el.hidden = !msg;
  el.textContent = msg || '';
}

/* ---- The URL ---- */

function readUrl() {
  const p = new URLSearchParams(location.search);
  state.filters = {};
  for (const k of FILTERS) if (p.get(k)) state.filters[k] = p.get(k);
  $('f-text').value = state.filters.text || '';
  $('f-from').value = state.filters.from || '';
  $('f-to').value = state.filters.to || '';
  $('f-role').value = state.filters.role || '';
}

function setFilters(changes) {
  for (const [k, v] of Object.entries(changes)) {
    if (v) state.filters[k] = v; else delete state.filters[k];
  }
  history.pushState(null, '', '/' + query());
  readUrl();
  refresh(true);
}

/* ---- Facets ---- */

function facetButton(name, value, label, count, title) {
  const on = state.filters[name] === value;
  return h('button', {
    type: 'button', class: 'fv' + (on ? ' on' : '') + (count ? '' : ' zero'),
    'data-filter': name, 'data-value': value, 'aria-pressed': on ? 'true' : 'false',
    title: title || null,
    onclick: () => setFilters({[name]: on ? null : value}),
  }, h('span', null, label), h('span', {class: 'n'}, num(count)));
}

/*
 * Actors or places as their hierarchy: each shown under its parents, with
 * the count a filter by it gives; the busiest TREE_MAX of each level (a
 * million events may name tens of thousands).
 */
const TREE_MAX = 100;
function tree(name, records, parentKey, counts) {
  const kids = new Map();
  const roots = [];
  for (const id of counts.keys()) {
    const parents = ((records.get(id) || {})[parentKey] || []).filter((p) => counts.has(p));
    if (!parents.length) roots.push(id);
    for (const p of parents) {
      if (!kids.has(p)) kids.set(p, []);
      kids.get(p).push(id);
    }
  }
  const byCount = (a, b) => counts.get(b).count_all - counts.get(a).count_all || (a < b ? -1 : 1);
  const build = (ids, depth, seen) => h('ul', null, ids.sort(byCount).slice(0, TREE_MAX).map((id) => {
    const c = counts.get(id);
    const sub = depth < 12 && kids.has(id) && !seen.has(id)
      ? build(kids.get(id), depth + 1, new Set([...seen, id])) : null;
    return h('li', null, facetButton(name, id, c.name || id, c.count_all, id), sub);
  }));
  return build(roots, 0, new Set());
}

function flat(name, values, limit = 60) {
  const sorted = [...values].sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  return h('ul', null, sorted.slice(0, limit).map((v) =>
    h('li', null, facetButton(name, v.id, v.name || v.id, v.count, v.name ? v.id : null))));
}

function renderFacets(f) {
  const nav = $('facets');
  /* The keyboard stays where it was: on the same value drawn anew, or its section. */
  const at = nav.contains(document.activeElement) ? document.activeElement : null;
  const again = at && (at.dataset.filter
    ? `[data-filter="${CSS.escape(at.dataset.filter)}"][data-value="${CSS.escape(at.dataset.value)}"]`
    : at.parentElement && at.parentElement.dataset.k ? `details[data-k="${at.parentElement.dataset.k}"] > summary` : null);
  const open = new Set([...nav.querySelectorAll('details')].filter((d) => !d.open).map((d) => d.dataset.k));
  const section = (k, title, list) => h('details', {'data-k': k, open: open.has(k) ? null : ''},
    h('summary', null, title), list);
  const actorCounts = new Map(f.actors.map((a) => [a.id, a]));
  const placeCounts = new Map(f.places.map((p) => [p.id, p]));
  state.actors = actorCounts;
  for (const [k, list] of [['actor', f.actors], ['region', f.places], ['source', f.sources]])
    for (const v of list) if (v.name) state.names.set(k + ':' + v.id, v.name);
  nav.replaceChildren(
    section('actor', 'Actors', keepSelected('actor', tree('actor', actorCounts, 'parents', actorCounts), actorCounts)),
    section('region', 'Places', keepSelected('region', tree('region', placeCounts, 'parents', placeCounts), placeCounts)),
    section('type', 'Types', keepSelected('type', flat('type', f.types), f.types)),
    section('tag', 'Tags', keepSelected('tag', flat('tag', f.tags), f.tags)),
    section('source', 'Sources', keepSelected('source', flat('source', f.sources), f.sources)),
  );
  $('total').textContent = eventCount(f.total);
  renderChips();
  if (again) {
    const el = nav.querySelector(again);
    const k = at.dataset.filter;
    (el || nav.querySelector(`details[data-k="${k}"] > summary`) || $('timeline')).focus();
  }
}

/* The value filtered by, first in its list when the list left it out (beyond the busiest). */
function keepSelected(name, ul, values) {
  const v = state.filters[name];
  if (!v || [...ul.querySelectorAll('.fv')].some((b) => b.dataset.value === v)) return ul;
  const c = values instanceof Map ? values.get(v) : values.find((x) => x.id === v);
  if (!c) return ul;   /* a name or an alias in the URL: the chip says it */
  ul.prepend(h('li', null, facetButton(name, v, c.name || v, c.count_all ?? c.count ?? 0, c.name ? v : null)));
  return ul;
}

/*
 * Each facet's counts are those its values would give when clicked: a click
 * replaces the value of its own filter, so the counts of a filter in use
 * come from the other filters alone. Each filter in use costs one more
 * question, asked at once beside the main one.
 */
const FACET_LISTS = {actor: 'actors', region: 'places', type: 'types', tag: 'tags', source: 'sources'};
async function facetsFor(asked) {
  const own = Object.keys(FACET_LISTS).filter((k) => state.filters[k]);
  const [f, ...others] = await Promise.all([api('/api/facets' + asked),
    ...own.map((k) => api('/api/facets' + query(null, k)))]);
  own.forEach((k, i) => { f[FACET_LISTS[k]] = others[i][FACET_LISTS[k]]; });
  return f;
}

const FILTER_LABELS = {actor: 'Actor', role: 'Role', region: 'Place', from: 'From', to: 'To',
                       type: 'Type', tag: 'Tag', text: 'Words', source: 'Source'};
function renderChips() {
  const chips = $('chips');
  /* A chip removed from the keyboard leaves the focus on its neighbour, or on the timeline. */
  const at = [...chips.children].indexOf(document.activeElement);
  chips.replaceChildren(...FILTERS.filter((k) => state.filters[k]).map((k) => {
    const v = state.filters[k];
    const label = FILTER_LABELS[k] + ': ' + (state.names.get(k + ':' + v) || v);
    return h('button', {type: 'button', class: 'chip', title: 'Remove this filter',
                        'aria-label': 'Remove filter ' + label, onclick: () => setFilters({[k]: null})},
      label + ' ×');
  }));
  if (at >= 0) (chips.children[Math.min(at, chips.children.length - 1)] || $('timeline')).focus();
}

/* ---- The timeline ---- */

const W = () => Math.max(320, $('timeline').clientWidth || 800);
const LABEL_W = 150, AXIS_H = 24, LANE_H = 22;

function niceStep(span) {
  const years = span / (365.2425 * DAY);
  const steps = [1e6, 5e5, 1e5, 5e4, 1e4, 5000, 1000, 500, 100, 50, 20, 10, 5, 2, 1];
  for (const s of steps) if (years / s >= 4) return {years: s};
  if (span / (30 * DAY) >= 4) return {months: span / (30 * DAY) >= 24 ? 3 : 1};
  return {days: Math.max(1, Math.ceil(span / DAY / 8))};
}

function ticks(lo, hi) {
  const st = niceStep(hi - lo);
  const out = [];
  if (st.years) {
    /* Round as labelled: 200 BCE (the year -199), 100 BCE, 1 CE... 100, 200. */
    const s = st.years, yLo = yearOf(lo), yHi = yearOf(hi);
    const ys = [];
    if (yLo <= 0)
      for (let n = Math.floor((1 - yLo) / s) * s; n >= Math.max(s, 1 - yHi) && ys.length < 60; n -= s)
        ys.push(1 - n);
    for (let y = Math.max(s, Math.ceil(yLo / s) * s); y <= yHi && ys.length < 60; y += s)
      ys.push(y);
    for (const y of ys) {
      const t = daysFromCivil(y, 1, 1) * DAY;
      if (t >= lo && t <= hi) out.push([t, yearLabel(y)]);
    }
  } else if (st.months) {
    let [y, m] = civilFromDays(Math.floor(lo / DAY));
    for (; out.length < 60;) {
      m += 1;
      if (m > 12) { m = 1; y++; }
      if ((m - 1) % st.months) continue;
      const t = daysFromCivil(y, m, 1) * DAY;
      if (t > hi) break;
      out.push([t, MONTHS[m - 1] + ' ' + yearLabel(y)]);
    }
  } else {
    for (let t = Math.ceil(lo / DAY) * DAY; t <= hi && out.length < 60; t += st.days * DAY)
      out.push([t, dayLabel(t)]);
  }
  return out;
}

function x(t) {
  const [lo, hi] = state.view;
  return LABEL_W + (t - lo) / (hi - lo) * (W() - LABEL_W - 8);
}

function axis(svg, height) {
  for (const [t, label] of ticks(...state.view)) {
    const px = x(t);
    svg.append(h('line', {class: 'axis', x1: px, x2: px, y1: AXIS_H - 4, y2: height}),
               h('text', {x: px + 3, y: 14}, label));
  }
}

function laneName(id, name) {
  if (id === null) return 'other';
  const a = state.actors.get(id);
  return name || (a ? a.name : id);
}

/* A lane's name in the room left of the marks: cut with an ellipsis, whole on hover. */
const LABEL_CHARS = 22;
function laneLabel(y, name) {
  const cut = name.length > LABEL_CHARS ? name.slice(0, LABEL_CHARS - 1).trimEnd() + '…' : name;
  return h('text', {class: 'lane-label', x: 4, y}, h('title', null, name), cut);
}

const SPAN_PX = 12;   /* a mark wider than this is a span */
function drawMarks(events) {
  /* Lanes: each event's first actor, the busiest first, as the HTML report lays them. */
  const counts = new Map();
  const names = new Map();   /* the events name their actors: the facets may not have come yet */
  for (const e of events) {
    const k = e.actors.length ? e.actors[0].id : null;
    counts.set(k, (counts.get(k) || 0) + 1);
    if (k !== null) names.set(k, e.actors[0].name);
  }
  let lanes = [...counts.keys()].filter((k) => k !== null)
    .sort((a, b) => counts.get(b) - counts.get(a) || (a < b ? -1 : 1));
  const keep = new Set(lanes.slice(0, LANES_MAX));
  lanes = lanes.slice(0, LANES_MAX);
  if (events.some((e) => !e.actors.length || !keep.has(e.actors[0].id))) lanes.push(null);
  const rows = new Map(lanes.map((l) => [l, []]));   /* per lane, each row's right end */
  const placed = [];
  for (const e of events) {
    const k = e.actors.length && keep.has(e.actors[0].id) ? e.actors[0].id : null;
    const s = isoSeconds(e.start, false) ?? state.extent[0];
    const t = isoSeconds(e.end, true) ?? state.extent[1];
    const x0 = x(Math.max(s, state.view[0]));
    const x1 = Math.max(x0 + 4, x(Math.min(t, state.view[1])));
    const lr = rows.get(k);
    let r = lr.findIndex((end) => end < x0 - 2);
    if (r < 0) { r = lr.length < 3 ? lr.length : lr.indexOf(Math.min(...lr)); }
    lr[r] = x1;
    placed.push({e, k, r, x0, x1});
  }
  let y = AXIS_H;
  const top = new Map();
  for (const l of lanes) { top.set(l, y); y += Math.max(1, rows.get(l).length) * 10 + 12; }
  const svg = h('svg', {width: W(), height: y + 4, viewBox: `0 0 ${W()} ${y + 4}`});
  lanes.forEach((l, i) => {
    const h0 = Math.max(1, rows.get(l).length) * 10 + 12;
    if (i % 2) svg.append(h('rect', {class: 'band', x: 0, y: top.get(l), width: W(), height: h0}));
    svg.append(laneLabel(top.get(l) + 14, laneName(l, names.get(l))));
  });
  axis(svg, y);
  /*
   * A lane keeps 3 rows: beyond them, marks share a row with longer spans
   * (an open start reaches across the whole view). The spans are drawn
   * first and lighter, so the marks on them stay in sight.
   */
  placed.sort((a, b) => (b.x1 - b.x0) - (a.x1 - a.x0));
  for (const p of placed) {
    const yy = top.get(p.k) + 6 + p.r * 10;
    const span = p.x1 - p.x0 > SPAN_PX ? ' span' : '';
    svg.append(h('rect', {class: 'mark' + span + (state.selected === p.e.id ? ' sel' : ''), x: p.x0, y: yy,
                          width: p.x1 - p.x0, height: 8, rx: 2, 'data-id': p.e.id,
                          onclick: () => openEvent(p.e.id)},
                 h('title', null, p.e.when + ': ' + p.e.title)));
  }
  $('timeline').replaceChildren(svg);
  $('mode').textContent = num(events.length) + (events.length === 1 ? ' mark' : ' marks');
}

function drawDensity(d) {
  const lanes = d.lanes;
  const y = AXIS_H + lanes.length * LANE_H;
  const svg = h('svg', {width: W(), height: y + 4, viewBox: `0 0 ${W()} ${y + 4}`});
  const max = Math.max(1, ...lanes.flatMap((l) => l.counts));
  const bw = (x(d.to) - x(d.from)) / d.bins;
  lanes.forEach((l, i) => {
    const top = AXIS_H + i * LANE_H;
    if (i % 2) svg.append(h('rect', {class: 'band', x: 0, y: top, width: W(), height: LANE_H}));
    svg.append(laneLabel(top + 15, laneName(l.id, l.name)));
    l.counts.forEach((c, j) => {
      if (!c) return;
      svg.append(h('rect', {class: 'cell', x: x(d.from) + j * bw, y: top + 3, width: Math.max(1, bw),
                            height: LANE_H - 6, 'fill-opacity': (0.15 + 0.85 * Math.log1p(c) / Math.log1p(max)).toFixed(2)},
                   h('title', null, eventCount(c))));
    });
  });
  axis(svg, y);
  $('timeline').replaceChildren(svg);
  $('mode').textContent = 'density: zoom in for single events';
}

/*
 * The view's bounds as API filters, inside the filter's own from/to; none
 * when the view holds every matching event (the question is then the
 * filters' own, which the server has ready).
 */
function viewParams() {
  const f = state.span || {};
  /* A second's slack: lo + (hi - lo) is not always hi in floating point. */
  if (state.extent && state.view[0] <= state.extent[0] + 1 && state.view[1] >= state.extent[1] - 1)
    return {};
  const lo = f.filter_from !== null && f.filter_from !== undefined ? Math.max(state.view[0], f.filter_from) : state.view[0];
  const hi = f.filter_to !== null && f.filter_to !== undefined ? Math.min(state.view[1], f.filter_to) : state.view[1];
  return {from: edtfOf(lo), to: edtfOf(Math.max(lo, hi))};
}

/*
 * data-busy is '1' while the page waits for an answer (tests wait for
 * '0'); data-drawn is '1' once the timeline and the list show the view
 * asked (the facets may still come); data-view is the range asked.
 */
let pending = 0;
function busy(on) {
  pending = Math.max(0, pending + (on ? 1 : -1));
  document.documentElement.dataset.busy = pending ? '1' : '0';
}
let drawnWaiters = [];
function drawn(on) {
  document.documentElement.dataset.drawn = on ? '1' : '0';
  if (on) { for (const f of drawnWaiters) f(); drawnWaiters = []; }
}
/* Resolves once the view asked last is drawn. */
function whenDrawn() {
  return document.documentElement.dataset.drawn === '1' ? Promise.resolve()
    : new Promise((resolve) => drawnWaiters.push(resolve));
}

async function drawView() {
  const seq = ++state.seq;
  state.drawnWidth = W();
  const [lo, hi] = state.view;
  $('range').textContent = dayLabel(lo) + ' – ' + dayLabel(hi);
  const vp = viewParams();
  const lo0 = state.span && state.span.filter_from !== null ? Math.max(lo, state.span.filter_from) : lo;
  const hi0 = state.span && state.span.filter_to !== null ? Math.min(hi, state.span.filter_to) : hi;
  const bounds = {from: edtfOf(lo0), to: edtfOf(Math.max(lo0, hi0))};
  document.documentElement.dataset.view = bounds.from + ' ' + bounds.to;
  const strips = () => api('/api/density' + query({...bounds,
    bins: Math.max(10, Math.min(400, Math.floor((W() - LABEL_W) / 4)))}));
  /* The whole extent holds the extent's total: past the marks' limit, its strips are asked at once,
   * beside the list (a rejection is seen where it is awaited). */
  const early = Object.keys(vp).length === 0 && state.span && state.span.total > MARKS_MAX ? strips() : null;
  if (early) early.catch(() => {});
  try {
    const page = await api('/api/events' + query({...vp, limit: PAGE}));
    if (seq !== state.seq) { busy(false); return; }
    renderList(page, false);
    if (page.total <= PAGE) {
      drawMarks(page.events);
    } else if (page.total <= MARKS_MAX) {
      const all = await api('/api/events' + query({...vp, limit: MARKS_MAX}));
      if (seq === state.seq) drawMarks(all.events);
    } else {
      const d = await (early || strips());
      if (seq === state.seq) drawDensity(d);
    }
    showError(null);
  } catch (e) {
    if (seq === state.seq) showError(e.message);
  }
  if (seq === state.seq) drawn(true);
  busy(false);
}

/* Draw the view soon (zooms and drags come in bursts), or at once. */
let drawTimer = 0, drawPending = false;
function scheduleDraw(now) {
  if (state.failed) return;   /* the filters have an error: nothing to draw until they change */
  if (!drawPending) busy(true);
  drawPending = true;
  drawn(false);
  clearTimeout(drawTimer);
  drawTimer = setTimeout(() => { drawPending = false; drawView(); }, now ? 0 : 120);
}

function setView(lo, hi, now) {
  const [elo, ehi] = state.extent;
  const minSpan = DAY;
  let span = Math.max(minSpan, Math.min(hi - lo, (ehi - elo) * 1.02));
  lo = Math.max(elo - (ehi - elo) * 0.01, Math.min(lo, ehi + (ehi - elo) * 0.01 - span));
  state.view = [lo, lo + span];
  scheduleDraw(now);
}

function zoom(factor, at) {
  const [lo, hi] = state.view;
  const c = at ?? (lo + hi) / 2;
  setView(c - (c - lo) * factor, c + (hi - c) * factor);
}

function pan(fraction) {
  const [lo, hi] = state.view;
  const d = (hi - lo) * fraction;
  setView(lo + d, hi + d);
}

function timeAt(clientX) {
  const r = $('timeline').getBoundingClientRect();
  const px = (clientX - r.left) * (W() / r.width);
  const [lo, hi] = state.view;
  return lo + (px - LABEL_W) / (W() - LABEL_W - 8) * (hi - lo);
}

function wireTimeline() {
  const tl = $('timeline');
  tl.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    zoom(ev.deltaY > 0 ? 1.25 : 0.8, timeAt(ev.clientX));
  }, {passive: false});
  let drag = null;
  tl.addEventListener('pointerdown', (ev) => {
    if (ev.target.classList && ev.target.classList.contains('mark')) return;
    drag = {x: ev.clientX, view: state.view.slice()};
    tl.setPointerCapture(ev.pointerId);
    tl.classList.add('dragging');
  });
  tl.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const r = tl.getBoundingClientRect();
    const frac = (ev.clientX - drag.x) / r.width * (W() / (W() - LABEL_W - 8));
    const span = drag.view[1] - drag.view[0];
    setView(drag.view[0] - frac * span, drag.view[1] - frac * span);
  });
  const end = () => { drag = null; tl.classList.remove('dragging'); };
  tl.addEventListener('pointerup', end);
  tl.addEventListener('pointercancel', end);
  tl.addEventListener('keydown', (ev) => {
    const keys = {ArrowLeft: () => pan(-0.2), ArrowRight: () => pan(0.2), '+': () => zoom(0.8),
                  '=': () => zoom(0.8), '-': () => zoom(1.25), '0': () => resetView()};
    if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
  });
  $('zoom-in').addEventListener('click', () => zoom(0.8));
  $('zoom-out').addEventListener('click', () => zoom(1.25));
  $('pan-left').addEventListener('click', () => pan(-0.2));
  $('pan-right').addEventListener('click', () => pan(0.2));
  $('zoom-reset').addEventListener('click', () => resetView());
  /* Drawn again only when the width differs from the one the view was drawn at. */
  new ResizeObserver(() => { if (state.view && W() !== state.drawnWidth) scheduleDraw(); }).observe(tl);
}

function resetView() {
  setView(state.extent[0], state.extent[1]);
}

/* ---- The event list ---- */

function renderList(page, append) {
  const list = $('list');
  const items = page.events.map((e) => h('li', {'data-id': e.id},
    h('button', {type: 'button', onclick: () => openEvent(e.id)},
      h('span', {class: 'when'}, e.when), e.title,
      h('span', {class: 'who'}, e.actors.map((a) => a.name).join(', ')))));
  /* Drawn anew: the keyboard keeps its place on the same event when it is still listed. */
  const at = !append && list.contains(document.activeElement) ? document.activeElement.closest('li') : null;
  if (append) list.append(...items); else list.replaceChildren(...items);
  const again = at && list.querySelector(`li[data-id="${CSS.escape(at.dataset.id)}"] button`);
  if (again) again.focus();
  state.listOffset = page.offset + page.events.length;
  state.listTotal = page.total;
  $('list-title').textContent = 'Events in view: ' + num(page.total);
  $('more').hidden = state.listOffset >= page.total;
}

async function moreEvents() {
  try {
    const page = await api('/api/events' + query({...viewParams(), limit: PAGE, offset: state.listOffset}));
    renderList(page, true);
  } catch (e) {
    showError(e.message);
  }
}

/* ---- The event panel: what `annals show` shows ---- */

function linkButtons(name, items) {
  return h('div', {class: 'links'}, items.map((it) =>
    h('button', {type: 'button', title: 'Show the events of ' + it.id, onclick: () => setFilters({[name]: it.id})},
      it.name + (it.role ? ' (' + it.role + ')' : '') +
      (typeof it.lat === 'number' && typeof it.lon === 'number' ? ' (' + it.lat + ', ' + it.lon + ')' : ''))));
}

/*
 * Opened by the user (from a mark, the list, a part), the panel takes the
 * focus and gives it back when closed; opened again after a reload, it
 * leaves the focus where it is.
 */
let panelOpener = null;
async function openEvent(id, byUser = true) {
  const opener = document.activeElement;
  let d;
  try {
    d = await api('/api/events/' + encodeURIComponent(id));
  } catch (e) {
    if (byUser) showError(e.message);
    else closePanel();   /* gone from the files since */
    return;
  }
  state.selected = id;
  const e = d.event;
  const body = [
    h('h2', {id: 'panel-title'}, e.title),
    h('p', null, h('strong', null, e.when), ' ', h('code', null, e.date),
      h('span', {class: 'bounds', title: 'the bounds of the date'},
        ' (' + (e.start ?? 'open') + ' .. ' + (e.end ?? 'open') + ')'),
      e.type ? ' · ' + e.type : ''),
    e.summary ? h('p', null, e.summary) : null,
  ];
  if (e.actors.length) body.push(h('h3', null, 'Actors'), linkButtons('actor', e.actors));
  if (e.places.length) body.push(h('h3', null, 'Places'), linkButtons('region', e.places));
  if (e.tags.length) body.push(h('h3', null, 'Tags'), linkButtons('tag', e.tags.map((t) => ({id: t, name: t}))));
  if (e.figures.length) {
    body.push(h('h3', null, 'Figures'), h('ul', null, e.figures.map((f) => h('li', null,
      f.name + ': ' + f.value + (f.low !== null || f.high !== null ? ' (' + (f.low ?? '…') + '–' + (f.high ?? '…') + ')' : '') +
      (f.unit ? ' ' + f.unit : '')))));
  }
  if (e.sources.length) {
    body.push(h('h3', null, 'Sources'), h('ul', null, e.sources.map((s) => h('li', null,
      s.url ? h('a', {href: s.url, rel: 'noopener noreferrer', target: '_blank'}, s.title) : s.title,
      s.locator ? ', ' + s.locator : '',
      s.quote ? h('blockquote', null, s.quote) : null))));
  }
  if (d.notes) body.push(h('h3', null, 'Notes'), h('p', null, d.notes));
  if (d.parts.length) {
    body.push(h('h3', null, 'Parts'), h('div', {class: 'links'}, d.parts.map((p) =>
      h('button', {type: 'button', 'data-id': p.id, onclick: () => openEvent(p.id)},
        h('span', {class: 'when'}, p.when || p.date), ' ', p.title))));
  }
  if (e.part_of) {
    body.push(h('h3', null, 'Part of'), h('div', {class: 'links'},
      h('button', {type: 'button', onclick: () => openEvent(e.part_of)}, e.part_of)));
  }
  body.push(h('p', {class: 'where'}, d.file + ':' + d.line, ' ',
    d.editor ? h('a', {id: 'open-editor', href: d.editor}, 'open in editor') : null));
  $('panel-body').replaceChildren(...body.filter(Boolean));   /* a null would be the text "null" */
  $('panel').hidden = false;
  if (byUser) {
    if (!$('panel').contains(opener)) panelOpener = opener;
    $('panel-close').focus();
  }
  for (const m of document.querySelectorAll('#timeline .mark'))
    m.classList.toggle('sel', m.dataset.id === id);
}

function closePanel() {
  const back = $('panel').contains(document.activeElement);
  $('panel').hidden = true;
  /* The focus back where the panel was opened from (drawn again since: its
   * new self), or on the timeline. */
  if (back) {
    const item = state.selected && document.querySelector(`#list li[data-id="${CSS.escape(state.selected)}"] button`);
    (panelOpener && panelOpener.isConnected ? panelOpener : item || $('timeline')).focus();
  }
  panelOpener = null;
  state.selected = null;
  for (const m of document.querySelectorAll('#timeline .mark.sel')) m.classList.remove('sel');
}

/* ---- Loading, and loading again when the files change ---- */

async function loadStatus() {
  const s = await api('/api/status');
  state.generation = s.generation;
  document.documentElement.dataset.generation = s.generation;
  $('problems').hidden = !s.diagnostics;
  $('problems').classList.toggle('errors', s.errors > 0);
  /* Errors open, warnings folded under their count: the data stays in view. */
  $('problems').querySelector('details').open = s.errors > 0;
  $('problems-title').textContent = s.errors
    ? `The files have ${s.errors} error${s.errors === 1 ? '' : 's'}: showing the last good load`
    : `The files have ${s.warnings} warning${s.warnings === 1 ? '' : 's'}`;
  $('problems-text').textContent = s.diagnostics || '';
}

/*
 * Everything again: the extent and the view first (kept when still
 * inside, unless resetZoom), the facets beside them: they may take longer.
 */
async function refresh(resetZoom) {
  renderChips();
  busy(true);
  const asked = query();
  let x;
  try {
    x = await api('/api/extent' + asked);
  } catch (e) {
    /* Nothing of the last view stays to be taken for the answer: the
     * error says why, and a view still on its way is dropped. */
    clearTimeout(drawTimer);
    if (drawPending) { drawPending = false; busy(false); }
    state.seq++;
    state.failed = true;
    busy(false);
    showError(e.message);
    $('facets').replaceChildren();
    $('list').replaceChildren();
    $('timeline').replaceChildren();
    $('total').textContent = '';
    $('range').textContent = '';
    $('mode').textContent = '';
    $('list-title').textContent = 'No events: the filters have an error';
    $('more').hidden = true;
    drawn(true);
    return;
  }
  showError(null);
  state.failed = false;
  state.span = x;
  $('total').textContent = eventCount(x.total);
  let lo = x.start, hi = x.end;
  if (x.first === null && lo === null) { lo = 0; hi = 365 * DAY; }
  if (lo === null) lo = daysFromCivil(yearOf(x.first), 1, 1) * DAY;
  if (hi === null) hi = daysFromCivil(yearOf(x.last) + 1, 1, 1) * DAY - 1;
  /* A date filter is the period to show: the events' extent cut to it, with no margin on that side. */
  const cutLo = x.total > 0 && x.filter_from !== null && x.filter_from > lo;
  const cutHi = x.total > 0 && x.filter_to !== null && x.filter_to < hi;
  if (cutLo) lo = x.filter_from;
  if (cutHi) hi = x.filter_to;
  if (hi - lo < DAY - 1) { lo -= DAY; hi += DAY; }
  const pad0 = (hi - lo) * 0.01;
  state.extent = [lo - (cutLo ? 0 : pad0), hi + (cutHi ? 0 : pad0)];
  if (resetZoom || !state.view) setView(state.extent[0], state.extent[1], true);
  else setView(state.view[0], state.view[1], true);
  busy(false);
  if (state.selected) openEvent(state.selected, false);
  busy(true);
  /* The facets after the view: building their lists must not hold up its drawing. */
  await whenDrawn();
  try {
    const f = await facetsFor(asked);
    if (asked === query()) {
      state.facets = f;
      renderFacets(f);
    }
  } catch (e) {
    showError(e.message);
  }
  busy(false);
}

async function reload() {
  try {
    await loadStatus();
  } catch (e) {
    showError(e.message);
  }
  await refresh(false);
  document.documentElement.dataset.loaded = String(state.generation);
}

function listen() {
  const es = new EventSource('/api/updates');
  let first = true;
  es.addEventListener('hello', (ev) => {
    if (!first && Number(ev.data) !== state.generation) reload();
    first = false;
  });
  es.addEventListener('reload', () => reload());
}

function wireTheme() {
  const saved = localStorage.getItem('annals-theme');
  if (saved) document.documentElement.dataset.theme = saved;
  $('theme').addEventListener('click', () => {
    const dark = document.documentElement.dataset.theme === 'dark' ||
      (!document.documentElement.dataset.theme && matchMedia('(prefers-color-scheme: dark)').matches);
    document.documentElement.dataset.theme = dark ? 'light' : 'dark';
    localStorage.setItem('annals-theme', document.documentElement.dataset.theme);
  });
}

function init() {
  wireTheme();
  wireTimeline();
  readUrl();
  $('search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    setFilters({text: $('f-text').value.trim(), from: $('f-from').value.trim(), to: $('f-to').value.trim(),
                role: $('f-role').value.trim()});
  });
  $('more').addEventListener('click', moreEvents);
  /* To the timeline without a history entry (a #fragment would be one more step back). */
  $('skip').addEventListener('click', (ev) => { ev.preventDefault(); $('timeline').focus(); });
  $('panel-close').addEventListener('click', closePanel);
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && !$('panel').hidden) closePanel(); });
  window.addEventListener('popstate', () => { readUrl(); refresh(true); });
  reload();
  listen();
}

init();
