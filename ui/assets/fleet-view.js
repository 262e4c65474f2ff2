// The fleet view at `/` (a server's own view is `/?server=SLUG`): the fleet state, the controls and the grid. Frames
// only mark what changed; the grid is brought up to date once per animation frame, touching only those tiles.

import { $, setText, frameOnce } from './dom.js';
import { esc } from './format.js';
import { Fleet } from './fleet.js';
import { FleetGrid } from './cards/fleet.js';
import { SORTS, STATUSES } from './fleet-order.js';

/**
 * @param {import('./alerts.js').Alerts} alerts the worst severity per server colours the alert badges
 * @returns {{frame(doc), poll(): Promise, alertsChanged()}}
 */
export function startFleetView(alerts) {
  const root = $('#fleet');
  const grid = new FleetGrid($('#fleet-grid'));
  const form = {
    q: $('#fleet-q'), status: $('#fleet-status'), bottleneck: $('#fleet-bottleneck'), sort: $('#fleet-sort'), group: $('#fleet-group'),
  };
  let changed = new Set(); // slugs to bring up to date at the next frame
  let all = true; // every tile (a full document, new controls, ageing times)
  const fleet = new Fleet((slugs) => {
    if (slugs) for (const s of slugs) changed.add(s);
    else all = true;
    draw();
  });

  form.sort.innerHTML = Object.entries(SORTS).map(([k, v]) => `<option value="${k}">${esc(v)}</option>`).join('');
  form.status.innerHTML = '<option value="">any</option>' + STATUSES.map((s) => `<option>${s}</option>`).join('');
  // The controls live in the URL too, so a filtered fleet can be bookmarked or shared.
  const params = new URLSearchParams(location.search);
  for (const k of Object.keys(form)) {
    if (!params.has(k)) continue;
    form[k].value = params.get(k);
    // A bottleneck or label key has no option until the fleet has arrived: the choice waits for it.
    if (form[k].value !== params.get(k)) form[k].dataset.want = params.get(k);
  }
  const val = (el) => el.value || el.dataset.want || '';
  const opts = () => ({ q: val(form.q), status: val(form.status), bottleneck: val(form.bottleneck), sort: val(form.sort) || 'name', group: val(form.group) });

  const draw = frameOnce(() => {
    const servers = fleet.list();
    fillChoices(form.bottleneck, servers.map((s) => s.bottleneck).filter(Boolean), 'any');
    fillChoices(form.group, servers.flatMap((s) => Object.keys(s.labels || {})), 'none');
    const shown = grid.render(servers, opts(), all ? null : changed, alerts.byServer());
    changed = new Set();
    all = false;
    setText($('#fleet-count'), fleet.loaded ? (shown === servers.length ? `${servers.length}` : `${shown} of ${servers.length}`) : '');
    const empty = $('#fleet-empty');
    const why = fleet.error || (!fleet.loaded ? 'Loading the fleet…' : !servers.length
      ? 'No servers registered yet. Register one with trainwatch register-server SLUG and start its agent.'
      : !shown ? 'No server matches the filter.' : '');
    setText(empty, why);
    empty.hidden = !why;
    if (fleet.loaded) {
      root.dataset.loaded = '1';
      document.body.dataset.ready = '1';
    }
  });

  const controlsChanged = () => {
    const url = new URL(location.href);
    for (const [k, v] of Object.entries(opts())) {
      if (v && !(k === 'sort' && v === 'name')) url.searchParams.set(k, v);
      else url.searchParams.delete(k);
    }
    window.history.replaceState(null, '', url);
    all = true;
    draw();
  };
  for (const el of Object.values(form)) el.addEventListener(el.tagName === 'INPUT' ? 'input' : 'change', controlsChanged);
  $('#fleet-controls').addEventListener('submit', (e) => e.preventDefault());
  wireKeys(form.q, controlsChanged);
  // "seen 5 s ago" ages without any news.
  setInterval(() => { all = true; draw(); }, 15000);

  fleet.load().catch(() => {});
  return {
    frame: (doc) => fleet.apply(doc),
    poll: () => fleet.load(),
    alertsChanged: () => { all = true; draw(); },
  };
}

/** A select's options from the values seen, keeping the current choice even while no server has it. */
function fillChoices(select, values, anyText) {
  const cur = select.value || select.dataset.want || '';
  const list = [...new Set(values)].sort();
  if (cur && !list.includes(cur)) list.push(cur);
  const key = list.join('\n');
  if (select.dataset.key === key) return;
  select.dataset.key = key;
  select.innerHTML = `<option value="">${esc(anyText)}</option>` + list.map((v) => `<option>${esc(v)}</option>`).join('');
  select.value = cur;
  delete select.dataset.want;
}

/**
 * Keyboard: "/" jumps to the filter and Escape in it clears it; arrow keys move between tiles (left/right in reading
 * order, up/down to the nearest tile in the row above or below), Home/End to the first and last.
 */
function wireKeys(filter, changed) {
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !/^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName)) {
      e.preventDefault();
      filter.focus();
      filter.select();
    }
  });
  filter.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && filter.value) {
      filter.value = '';
      changed();
    }
  });
  $('#fleet-grid').addEventListener('keydown', (e) => {
    const tile = e.target.closest('.tile');
    if (!tile) return;
    const tiles = [...document.querySelectorAll('#fleet-grid .tile')];
    const i = tiles.indexOf(tile);
    const next = {
      ArrowRight: () => tiles[i + 1],
      ArrowLeft: () => tiles[i - 1],
      Home: () => tiles[0],
      End: () => tiles[tiles.length - 1],
      ArrowDown: () => nearestInRow(tiles.slice(i + 1), tile, 1),
      ArrowUp: () => nearestInRow(tiles.slice(0, i).reverse(), tile, -1),
    }[e.key]?.();
    if (next) {
      e.preventDefault();
      next.focus();
    }
  });
}

/** The tile in the next row (in direction dir) whose left edge is closest to the given tile's. */
function nearestInRow(candidates, from, dir) {
  const top = from.offsetTop;
  const row = candidates.find((t) => dir * (t.offsetTop - top) > 0)?.offsetTop;
  if (row == null) return null;
  let best = null;
  for (const t of candidates) {
    if (t.offsetTop !== row) continue;
    if (!best || Math.abs(t.offsetLeft - from.offsetLeft) < Math.abs(best.offsetLeft - from.offsetLeft)) best = t;
  }
  return best;
}
