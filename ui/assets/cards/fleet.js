// The fleet grid: one tile per server. A fleet can be 1,000 servers and changes every second, so tiles are built
// once, kept by slug, and updated in place: each tile remembers what it shows and writes only what differs. Nothing
// here goes through innerHTML, so agent-supplied names and labels cannot inject markup.

import { pct, temp, ago, has, level, DASH } from '../format.js';
import { view, name, seenMs, STATUSES } from '../fleet-order.js';
import { labelColor } from './labels.js';
import { severity } from './alerts.js';

// ---- tiles ------------------------------------------------------------------------------------------------------

const template = document.createElement('template');
template.innerHTML = `<a class="tile"><span class="tile-in"><span class="tile-head"><span class="dot"></span><b class="tile-name"></b>`
  + `<span class="tile-slug"></span><span class="tile-alerts" hidden></span></span>`
  + `<span class="tile-meta"><span class="tile-status"></span><span class="tile-label"></span></span>`
  + `<span class="heat" role="img"></span>`
  // A bar repeats the figure beside it: screen readers read "CPU 42 %" from the text.
  + `<span class="tile-bar"><span class="tile-k">CPU</span><span class="bar" aria-hidden="true"><span></span></span><span class="tile-v"></span></span>`
  + `<span class="tile-bar"><span class="tile-k">RAM</span><span class="bar" aria-hidden="true"><span></span></span><span class="tile-v"></span></span>`
  + `<span class="tile-seen"></span></span></a>`;

function build(slug) {
  const el = template.content.firstElementChild.cloneNode(true);
  // Relative, so the dashboard keeps working behind a reverse-proxy path prefix.
  el.href = `?server=${encodeURIComponent(slug)}`;
  el.dataset.slug = slug;
  const bars = el.querySelectorAll('.tile-bar');
  return {
    el,
    name: el.querySelector('.tile-name'),
    slugEl: el.querySelector('.tile-slug'),
    alerts: el.querySelector('.tile-alerts'),
    status: el.querySelector('.tile-status'),
    label: el.querySelector('.tile-label'),
    heat: el.querySelector('.heat'),
    cpu: { bar: bars[0].children[1], fill: bars[0].children[1].firstChild, v: bars[0].children[2] },
    ram: { bar: bars[1].children[1], fill: bars[1].children[1].firstChild, v: bars[1].children[2] },
    seen: el.querySelector('.tile-seen'),
    last: {}, // what the tile shows now, field by field
    seenAt: 0, // last seen (ms), for the title the pointer asks for
    // Per heat cell, by position: the cell, its step and title, and the figures the title was made from.
    cells: [],
    steps: [],
    titles: [],
    figs: [],
  };
}

/** Writes `value` through `write` only when it differs from what the tile shows (DOM writes cost, reads of JS do not). */
function put(t, key, value, write) {
  if (t.last[key] === value) return;
  t.last[key] = value;
  write(value);
}

// One formatter for every tile: building one per call (toLocaleString) costs more than the rest of a tile update.
const FULL_TIME = new Intl.DateTimeFormat([], { dateStyle: 'medium', timeStyle: 'medium', hour12: false });
const text = (el) => (v) => { el.textContent = v; };

function meter(t, key, m, value) {
  put(t, key, has(value) ? Math.round(value) : null, (v) => {
    m.fill.style.transform = `scaleX(${(v ?? 0) / 100})`;
    m.bar.className = `bar ${level(v)}`;
    m.v.textContent = v == null ? DASH : `${v} %`;
  });
}

/** Ten steps of green: readable at a glance, and a class is cheaper to change than a computed colour. */
const heatStep = (u) => (has(u) ? String(Math.round(Math.max(0, Math.min(100, u)) / 10)) : 'na');

/**
 * The cells' colours and titles (for the pointer), and one label for the whole strip (for screen readers: a label on
 * each cell of a role-less element would not be read, and would cost a write per GPU per update).
 */
function heatCells(t, gpus) {
  let changed = false;
  for (let i = 0; i < gpus.length; i++) {
    const g = gpus[i];
    const cell = t.cells[i];
    const step = heatStep(g.utilization);
    if (t.steps[i] !== step) {
      t.steps[i] = step;
      cell.className = `u${step}`;
    }
    // The title is text to build: the figures it is made from are compared first.
    const f = t.figs[i] || (t.figs[i] = []);
    if (f[0] === g.index && f[1] === g.utilization && f[2] === g.memory_used_percent && f[3] === g.temperature) continue;
    f[0] = g.index;
    f[1] = g.utilization;
    f[2] = g.memory_used_percent;
    f[3] = g.temperature;
    const title = `GPU ${g.index}: ${pct(g.utilization)} util · memory ${pct(g.memory_used_percent)} · ${temp(g.temperature)}`;
    if (t.titles[i] === title) continue;
    t.titles[i] = title;
    cell.title = title;
    changed = true;
  }
  if (changed) t.heat.setAttribute('aria-label', `GPU utilization: ${gpus.map((g) => pct(g.utilization)).join(', ')}`);
}

/** Brings one tile up to date with its server's summary. */
export function updateTile(t, s, alert, now) {
  put(t, 'name', name(s), text(t.name));
  put(t, 'slug', s.name && s.name !== s.slug ? s.slug : '', text(t.slugEl));
  const st = STATUSES.includes(s.status) ? s.status : 'offline';
  put(t, 'status', st, (v) => { t.el.dataset.status = v; t.status.textContent = v; });
  put(t, 'label', s.bottleneck ?? null, (v) => {
    t.label.textContent = v ?? DASH;
    t.label.style.color = v ? labelColor(v) : '';
    t.el.dataset.label = v ?? '';
  });
  const gpus = s.gpus || [];
  put(t, 'ngpu', gpus.length, (n) => {
    while (t.cells.length < n) t.cells.push(t.heat.appendChild(document.createElement('i')));
    while (t.cells.length > n) t.cells.pop().remove();
    t.steps.length = t.titles.length = t.figs.length = n;
    t.heat.classList.toggle('none', n === 0);
    t.heat.classList.toggle('many', n > 36);
    t.heat.dataset.count = String(n);
    t.heat.title = n ? '' : 'no GPUs reported';
    t.heat.setAttribute('aria-label', n ? 'GPU utilization' : 'no GPUs reported');
  });
  heatCells(t, gpus);
  meter(t, 'cpu', t.cpu, s.cpu_utilization);
  meter(t, 'ram', t.ram, s.ram_used_percent);
  const count = s.alerts_firing > 0 ? s.alerts_firing : 0;
  // The fleet document counts firing alerts; the alerts module may know how bad the worst one is.
  const worst = count ? (alert?.worst ? severity({ severity: alert.worst }) : 'unknown') : '';
  put(t, 'alerts', `${count}/${worst}`, () => {
    t.alerts.hidden = !count;
    t.alerts.dataset.severity = worst;
    t.alerts.textContent = count ? `⚠ ${count}${worst !== 'unknown' ? ' ' + worst : ' firing'}` : '';
    t.alerts.title = count ? `${count} firing alert${count > 1 ? 's' : ''}${worst !== 'unknown' ? ', worst ' + worst : ''}` : '';
  });
  const seen = seenMs(s);
  put(t, 'seen', seen ? `seen ${ago(now - seen)}` : 'never seen', text(t.seen));
  // The absolute time is formatted when the pointer asks for it (FleetGrid), not on every update.
  t.seenAt = seen;
}

/**
 * One grid of tiles in `root`, keyed by slug (a page has one; a benchmark can make its own). A tile out of sight is
 * not written to when its server changes: it is marked stale and brought up to date as it scrolls into view, so a
 * second in which all 1,000 servers change costs the DOM writes of the tiles on screen.
 */
export class FleetGrid {
  constructor(root) {
    this.root = root;
    this.tiles = new Map(); // slug → tile
    this.heads = new Map(); // group key → header element
    this.io = typeof IntersectionObserver === 'function' ? new IntersectionObserver((entries) => {
      for (const e of entries) {
        const t = this.tiles.get(e.target.dataset.slug);
        if (!t || t.el !== e.target) continue;
        t.visible = e.isIntersecting;
        if (t.visible && t.stale) {
          updateTile(t, ...t.stale);
          t.stale = null;
        }
      }
    }, { rootMargin: '100px 0px' }) : null;
    root.addEventListener('pointerover', (e) => {
      const el = e.target.closest?.('.tile-seen');
      const t = el && this.tiles.get(el.closest('.tile').dataset.slug);
      if (t) el.title = t.seenAt ? FULL_TIME.format(new Date(t.seenAt)) : '';
    });
  }

  /**
   * Renders `servers` into the root: tiles in the order of `view()`, group headers between them. Only the tiles of
   * `changed` (every tile when null) are brought up to date; the rest are moved at most. Call it inside one animation
   * frame: everything it writes lands in one layout.
   * @param {Map<string, {count: number, worst: string}>} alerts slug → firing alerts (alerts.js `byServer`)
   * @returns {number} the number of tiles shown
   */
  render(servers, opts = {}, changed = null, alerts = new Map()) {
    const { root, tiles, heads } = this;
    const now = opts.now ?? Date.now();
    const groups = view(servers, opts);
    const present = new Set();
    for (const s of servers) {
      present.add(s.slug);
      let t = tiles.get(s.slug);
      if (!t) {
        t = build(s.slug);
        tiles.set(s.slug, t);
        updateTile(t, s, alerts.get(s.slug), now);
        this.io?.observe(t.el);
      } else if (!changed || changed.has(s.slug)) {
        // Until the observer has said where a tile is, it counts as out of sight; the observer's first word on it
        // always comes, and brings it up to date then.
        if (t.visible || !this.io) updateTile(t, s, alerts.get(s.slug), now);
        else t.stale = [s, alerts.get(s.slug), now];
      }
    }
    for (const [slug, t] of tiles) {
      if (present.has(slug)) continue;
      this.io?.unobserve(t.el);
      t.el.remove();
      tiles.delete(slug);
    }

    // Place the nodes in order, moving only those out of place (a focused tile that stays put keeps its focus).
    let at = root.firstElementChild;
    let shown = 0;
    const used = new Set();
    const place = (el) => {
      if (at === el) at = at.nextElementSibling;
      else root.insertBefore(el, at);
    };
    for (const g of groups) {
      if (g.title != null) {
        let h = heads.get(g.key);
        if (!h) {
          h = document.createElement('h3');
          h.className = 'fleet-group';
          heads.set(g.key, h);
        }
        const title = `${g.title} · ${g.servers.length}`;
        if (h.textContent !== title) h.textContent = title;
        used.add(h);
        place(h);
      }
      for (const s of g.servers) {
        place(tiles.get(s.slug).el);
        shown++;
      }
    }
    // Whatever is left after the last placed node is filtered out or a header of a group now empty.
    while (at) {
      const next = at.nextElementSibling;
      at.remove();
      at = next;
    }
    for (const [k, h] of heads) if (!used.has(h)) heads.delete(k);
    return shown;
  }
}
