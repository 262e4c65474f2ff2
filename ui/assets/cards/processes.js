// Who is on which GPU: the question asked first when a GPU is busy but no job of yours is running. Laid out like
// nvitop's process list: sortable by any column, filterable by user or command, GPU memory as a bar.
//
// The card's frame (filter, headers) is built once and only the rows are rewritten, because a sample arrives every
// interval: rebuilding the input would take the keyboard focus (and a half-typed filter) away from the user.

import { esc, bytes, has, ratio, DASH } from '../format.js';
import { setHtml, bar } from '../dom.js';

const COLUMNS = [
  { key: 'gpu_index', label: 'GPU', num: true },
  { key: 'pid', label: 'PID', num: true },
  { key: 'user', label: 'user' },
  // Memory starts big-first: the question is who holds the GPU, not who holds least.
  { key: 'used_memory_bytes', label: 'GPU memory', num: true, desc: true },
  { key: 'command', label: 'command' },
  { key: 'container', label: 'container' },
];
const BY_KEY = new Map(COLUMNS.map((c) => [c.key, c]));
const CMD_MAX = 60; // characters shown before the middle of a command gives way to "…"

const tables = new WeakMap(); // card root → its table's state

/**
 * @param {object[]} procs the `system/processes` list
 * @param {object[]} gpus the GPU frames, whose memory_total scales each process's bar
 */
export function renderProcesses(root, procs, gpus = []) {
  const t = tables.get(root) || build(root);
  t.procs = procs || [];
  t.gpus = gpus;
  draw(root, t);
}

function build(root) {
  const t = { key: null, desc: false, q: '', procs: [], gpus: [] };
  tables.set(root, t);
  const body = root.querySelector('.card-body');
  // Static markup only: agent strings never reach this innerHTML.
  body.innerHTML = `<div class="proc-tools" hidden><label for="proc-q">Filter</label>
    <input id="proc-q" type="search" autocomplete="off" spellcheck="false" placeholder="user or command"></div>
  <div class="table-wrap" hidden><table class="grid procs">
    <thead><tr>${COLUMNS.map((c) => `<th scope="col" data-key="${c.key}" class="${c.num ? 'n' : ''}"><button type="button" class="sort">${esc(c.label)}</button></th>`).join('')}</tr></thead>
    <tbody></tbody></table></div>
  <p class="empty" hidden></p>`;
  body.querySelector('thead').addEventListener('click', (e) => {
    const th = e.target.closest('th[data-key]');
    if (!th) return;
    const col = BY_KEY.get(th.dataset.key);
    t.desc = t.key === col.key ? !t.desc : !!col.desc;
    t.key = col.key;
    draw(root, t);
  });
  body.querySelector('#proc-q').addEventListener('input', (e) => {
    t.q = e.target.value.trim().toLowerCase();
    draw(root, t);
  });
  return t;
}

function draw(root, t) {
  const body = root.querySelector('.card-body');
  const all = t.procs;
  const rows = sortRows(all.filter((p) => matches(p, t.q)), t.key, t.desc);
  const some = all.length > 0;
  body.querySelector('.proc-tools').hidden = !some;
  body.querySelector('.table-wrap').hidden = !rows.length;
  const empty = body.querySelector('.empty');
  const why = !some ? (t.gpus.length ? 'No processes on the GPUs.' : 'No GPU processes (no GPUs reported).')
    : !rows.length ? 'No process matches the filter.' : '';
  empty.hidden = !why;
  if (empty.textContent !== why) empty.textContent = why;
  for (const th of body.querySelectorAll('th[data-key]')) {
    const sort = th.dataset.key === t.key ? (t.desc ? 'descending' : 'ascending') : null;
    if (th.getAttribute('aria-sort') === sort) continue;
    if (sort) th.setAttribute('aria-sort', sort);
    else th.removeAttribute('aria-sort');
  }
  const total = new Map(t.gpus.map((g) => [Number(g.index), g.memory_total]));
  const largest = Math.max(0, ...rows.map((p) => (has(p.used_memory_bytes) ? Number(p.used_memory_bytes) : 0)));
  setHtml(body.querySelector('tbody'), rows.map((p) => row(p, total.get(Number(p.gpu_index)), largest)).join(''));
  const count = root.querySelector('.count');
  if (count) count.textContent = !some ? '' : rows.length === all.length ? String(all.length) : `${rows.length} of ${all.length}`;
}

function row(p, gpuTotal, largest) {
  // Against the GPU's own memory when the GPU card knows it, so a bar reads "how full is that GPU"; else against
  // the biggest process, which still ranks them.
  const of = has(gpuTotal) && gpuTotal > 0 ? gpuTotal : largest;
  const memPct = ratio(p.used_memory_bytes, of);
  const memLabel = has(gpuTotal) && gpuTotal > 0 ? 'share of the GPU memory' : 'relative to the largest process';
  const cmd = p.command ?? null;
  return `<tr data-pid="${esc(p.pid ?? '')}"><td class="n">${esc(p.gpu_index ?? DASH)}</td><td class="n">${esc(p.pid ?? DASH)}</td><td>${esc(p.user ?? DASH)}</td>
    <td class="mem"><div class="pmem">${bar(memPct, 'ok', memLabel)}<span>${esc(bytes(p.used_memory_bytes))}</span></div></td>
    <td class="cmd"${cmd == null ? '' : ` title="${esc(cmd)}"`}>${esc(cmd == null ? DASH : shorten(String(cmd)))}</td><td>${esc(p.container ?? DASH)}</td></tr>`;
}

function matches(p, q) {
  return !q || String(p.user ?? '').toLowerCase().includes(q) || String(p.command ?? '').toLowerCase().includes(q);
}

/**
 * By the chosen column, absent values last either way (they are unknown, not small); with no choice, by GPU and
 * then biggest first, which is what one scans for. Ties fall back to that order, so rows do not jump between samples.
 */
export function sortRows(rows, key, desc) {
  const base = (a, b) => cmp(a.gpu_index, b.gpu_index) || cmp(b.used_memory_bytes, a.used_memory_bytes) || cmp(a.pid, b.pid);
  if (!key) return [...rows].sort(base);
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x == null || y == null) return (x == null) - (y == null) || base(a, b);
    return (desc ? cmp(y, x) : cmp(x, y)) || base(a, b);
  });
}

function cmp(x, y) {
  if (x == null || y == null) return (x == null) - (y == null);
  if (has(x) && has(y)) return Number(x) - Number(y);
  return String(x).localeCompare(String(y));
}

/**
 * A long command cut in the middle (`python train.py … --rank 3`): the program and script are at the start, the
 * distinguishing flags usually at the end. Cuts fall on spaces where there are some near the limit.
 */
export function shorten(s, max = CMD_MAX) {
  if (s.length <= max) return s;
  const keep = max - 3;
  let head = s.slice(0, Math.ceil(keep * 0.6));
  let tail = s.slice(s.length - Math.floor(keep * 0.4));
  const sp = head.lastIndexOf(' ');
  if (sp > head.length / 2) head = head.slice(0, sp);
  const ts = tail.indexOf(' ');
  if (ts >= 0 && ts < tail.length / 2) tail = tail.slice(ts + 1);
  return `${head.trimEnd()} … ${tail.trimStart()}`;
}
