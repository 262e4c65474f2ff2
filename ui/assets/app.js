// Wires the page: picks the server, loads latest + history over HTTP, then follows the live feed. Channel frames of
// one sample arrive as a burst (cpu, memory, …, gpus, processes), all with the sample's ts, so they are merged into
// one snapshot and the page is re-rendered in the next animation frame. Without `?server=` the page is the fleet
// view instead (fleet-view.js); the alerts panel and the top bar serve both.

import { api } from './api.js';
import { initAccount } from './account.js';
import { LiveFeed, POLL_MS } from './live.js';
import { History, RANGES, gpuKey, gpuIndices } from './history.js';
import { TimeChart, LabelStrip, ChartSync } from './charts.js';
import { $, setText, setHtml, frameOnce } from './dom.js';
import { esc, pct, bytes, rate, ago, clock, temp, watts } from './format.js';
import { renderBottleneck } from './cards/bottleneck.js';
import { renderSummary } from './cards/summary.js';
import { renderGpus, recordGpu } from './cards/gpu.js';
import { renderCpu } from './cards/cpu.js';
import { renderMemory } from './cards/memory.js';
import { renderDisk } from './cards/disk.js';
import { renderNetwork } from './cards/network.js';
import { renderProcesses } from './cards/processes.js';
import { renderServers } from './cards/servers.js';
import { labelColor, KNOWN_LABELS } from './cards/labels.js';
import { Alerts } from './alerts.js';
import { renderAlertsPanel, renderAlertsBadge, renderServerChips } from './cards/alerts.js';
import { startFleetView } from './fleet-view.js';
import { initThemeToggle } from './theme.js';

// Old links carry ?server=, and must open that server's view as they always did.
const FLEET = !new URLSearchParams(location.search).has('server');
let fleetView = null;

const state = {
  servers: [],
  server: null,
  snap: null, // the merged latest derived snapshot (CONTRACT §4) of the selected server
  gpus: new Map(), // index → {data, ts}: GPU frames arrive per GPU, each with its own ts
  receivedAt: 0,
  intervalS: 2,
  range: '1h',
  // The newest sample that was shown live and then not stored (issue 17): {ts, code, at}, or null.
  unsaved: null,
  // A fixed window [from, to] in ms (a zoom or the custom range), or null for the chosen range up to now.
  zoom: null,
  // The GPU whose history the GPU charts show alone (a card was clicked, or ?gpu= in the URL), or null for all.
  gpuFocus: null,
};

const history = new History(() => scheduleCharts());
const alerts = new Alerts(() => scheduleAlerts());
const feed = new LiveFeed({
  onFrame,
  onUnstored: (f) => markUnsaved(f.ts, f.data?.code),
  onAlert: (f) => alerts.put(f.data),
  onFleet: FLEET ? (f) => fleetView?.frame(f.data) : undefined,
  onOpen: loadAlerts,
  onStatus: renderLive,
  // Alert frames stop with the socket too, so the fallback polls the alert list alongside the latest sample (its
  // failure alone must not read as "offline": the metrics poll, or the fleet read, decides that).
  poll: () => { loadAlerts(); return FLEET ? fleetView.poll() : pollLatest(); },
});

// ---- live frames ---------------------------------------------------------------------------------------------

const SECTION = { 'system/cpu': 'cpu', 'system/memory': 'memory', 'system/disk': 'disk', 'system/network': 'network', 'system/bottleneck': 'bottleneck' };
const renderSoon = frameOnce(() => { foldSample(); render(); });

function onFrame(f) {
  const s = state.snap || (state.snap = { server: f.server });
  // A frame of a newer sample means the one before is complete: its chart point is made final first.
  if (f.ts && s.ts && f.ts > s.ts) foldSample();
  if (SECTION[f.channel]) {
    s[SECTION[f.channel]] = f.data;
    if (!s.ts || f.ts > s.ts) s.ts = f.ts;
  } else if (f.channel.startsWith('system/gpu/')) {
    state.gpus.set(f.data.index, { data: f.data, ts: f.ts });
    recordGpu(state.server, f.data, f.ts);
  } else if (f.channel === 'system/processes') {
    s.processes = f.data.processes || [];
  }
  state.receivedAt = Date.now();
  renderSoon();
}

/**
 * The sample so far as a chart point. Its frames may straddle an animation frame, so History redoes the newest
 * point when the same sample is folded again.
 */
function foldSample() {
  const s = state.snap;
  if (!s?.ts) return;
  const gpus = [...state.gpus.values()].filter((e) => e.ts === s.ts).map((e) => e.data);
  history.append({ ...s, ...rollups(gpus), gpus });
}

/** The §4 GPU rollups, which the per-GPU channels do not carry. */
function rollups(gpus) {
  const util = gpus.map((g) => g.utilization).filter((v) => v != null);
  const both = gpus.filter((g) => g.memory_used != null && g.memory_total != null);
  return {
    gpu_util_avg: util.length ? util.reduce((a, b) => a + b, 0) / util.length : null,
    gpu_util_max: util.length ? Math.max(...util) : null,
    gpu_memory_used: both.length ? both.reduce((a, g) => a + g.memory_used, 0) : null,
    gpu_memory_total: both.length ? both.reduce((a, g) => a + g.memory_total, 0) : null,
  };
}

/**
 * Live frames no longer wait for the disk, so a sample can be shown and then fail to be stored. The live badge says
 * so until the marks stop (storage is back) for three sample intervals.
 */
function markUnsaved(ts, code) {
  const first = !state.unsaved;
  state.unsaved = { ts, code: code || 'unavailable', at: Date.now(), since: first ? ts : state.unsaved.since };
  renderLive(feed.status);
}

// ---- HTTP --------------------------------------------------------------------------------------------------

function applySnapshot(snap) {
  const fresh = !state.snap || snap.ts !== state.snap.ts;
  state.snap = snap;
  // The HTTP snapshot lists every GPU the server has now, so GPUs that vanished go.
  state.gpus = new Map((snap.gpus || []).map((g) => [g.index, { data: g, ts: snap.ts }]));
  for (const g of snap.gpus || []) recordGpu(state.server, g, snap.ts);
  if (snap.interval_s) state.intervalS = snap.interval_s;
  state.receivedAt = Date.now();
  if (fresh) history.append(snap);
}

async function pollLatest() {
  const server = state.server;
  try {
    const snap = await api.latest(server);
    if (server !== state.server) return;
    notice(null);
    applySnapshot(snap);
    if (snap.stored === false) markUnsaved(snap.ts, null);
    render();
  } catch (e) {
    if (server !== state.server) return;
    if (e.code === 'no_data') {
      notice(`No data from ${server} yet. Its agent has not delivered a snapshot; the page fills in as soon as one arrives.`);
      render();
      return;
    }
    if (e.status === 401) notice('Your session has expired. <a href="login">Sign in again</a>.', true);
    throw e;
  }
}

async function loadServers() {
  try {
    state.servers = await api.servers();
  } catch (e) {
    if (!state.servers.length) notice(`Cannot list servers: ${esc(e.message)}`, true);
    return;
  }
  if (!state.server || !state.servers.some((s) => s.slug === state.server)) {
    const wanted = new URLSearchParams(location.search).get('server');
    const pick = state.servers.find((s) => s.slug === wanted) || state.servers.find((s) => s.slug === 'local')
      || state.servers.find((s) => s.status === 'online') || state.servers[0];
    state.server = pick?.slug ?? null;
    if (wanted && pick && wanted !== pick.slug) notice(`Unknown server “${esc(wanted)}”; showing ${esc(pick.slug)}.`);
  }
  renderServersWithAlerts();
  renderHostMeta();
}

const renderServersWithAlerts = () =>
  renderServers($('#server'), $('#server-dot'), state.servers, state.server, alerts.byServer());

function selectServer(slug) {
  if (slug === state.server) return;
  state.server = slug;
  state.snap = null;
  state.gpus = new Map();
  const url = new URL(location.href);
  url.searchParams.set('server', slug);
  window.history.replaceState(null, '', url);
  renderServersWithAlerts();
  renderAlerts();
  render();
  pollLatest().catch(() => {});
  loadHistory();
  feed.switchTo(slug);
}

function loadHistory() {
  const failed = (e) => setText($('#hist-meta'), `history unavailable: ${e.message}`);
  if (state.zoom) history.loadRange(state.server, state.zoom[0], state.zoom[1]).catch(failed);
  else history.load(state.server, RANGES[state.range]).catch(failed);
}

/**
 * A fixed window (a drag on a chart, or the custom range), read again from the server at the resolution its length
 * gets, so zooming into a month shows seconds again; null goes back to the chosen range. Kept in the URL.
 */
function zoomTo(range) {
  state.zoom = range && range[1] > range[0] ? range : null;
  zoomInUrl();
  loadHistory();
}

/** The zoom window, or its absence, in the URL, so a zoomed view can be shared. */
function zoomInUrl() {
  const url = new URL(location.href);
  if (state.zoom) {
    url.searchParams.set('from', new Date(state.zoom[0]).toISOString());
    url.searchParams.set('to', new Date(state.zoom[1]).toISOString());
  } else {
    url.searchParams.delete('from');
    url.searchParams.delete('to');
  }
  window.history.replaceState(null, '', url);
}

/** The custom range: two local date-times; the server refuses what it cannot answer, and the line says so. */
function wireCustomRange() {
  const form = $('#range-custom');
  const local = (ms) => {
    const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60e3);
    return d.toISOString().slice(0, 16);
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const from = Date.parse(form.from.value);
    const to = Date.parse(form.to.value);
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
      setText($('#hist-meta'), 'custom range: "from" must be before "to"');
      return;
    }
    zoomTo([from, to]);
  });
  // Prefilled with what is shown, so a custom range starts from the current view.
  const [t0, t1] = history.range();
  form.from.value = local(t0);
  form.to.value = local(t1);
}

// ---- rendering ---------------------------------------------------------------------------------------------

let markedTs = null;

function render() {
  const s = state.snap || {};
  // A User Timing mark per sample shown: sample -> pixel latency can be read from any browser's performance panel
  // (and is, by DashboardBrowserTest, for docs/benchmarks.md).
  if (s.ts && s.ts !== markedTs) {
    markedTs = s.ts;
    performance.mark('trainwatch:render', { detail: s.ts });
  }
  const gpuEntries = [...state.gpus.values()].sort((a, b) => a.data.index - b.data.index);
  const gpus = gpuEntries.map((e) => e.data);
  renderBottleneck($('#verdict'), s.bottleneck);
  renderSummary($('#summary'), s, gpus);
  renderGpus($('#gpus'), state.server, gpuEntries, s.ts ? Date.parse(s.ts) : 0, state.intervalS, !s.ts, alerts.gpuMarks(state.server));
  setText($('#gpu-count'), gpus.length ? String(gpus.length) : '');
  renderCpu($('#cpu-card'), s.cpu);
  renderMemory($('#mem-card'), s.memory);
  renderDisk($('#disk-card'), s.disk);
  renderNetwork($('#net-card'), s.network);
  renderProcesses($('#proc-card'), s.processes, gpus);
  renderHostMeta();
  tick();
  if (s.cpu && document.body.dataset.ready !== '1') document.body.dataset.ready = '1';
}

function renderHostMeta() {
  const srv = state.servers.find((x) => x.slug === state.server);
  const agent = state.snap?.agent;
  const bits = [agent?.hostname || srv?.hostname, agent?.version || srv?.agent_version ? `agent ${agent?.version || srv?.agent_version}` : null,
    ...Object.entries(agent?.labels || srv?.labels || {}).map(([k, v]) => `${k}=${v}`)].filter(Boolean);
  setText($('#host-meta'), bits.join(' · '));
}

function renderLive(status) {
  const el = $('#live');
  el.className = `live ${status}`;
  const text = {
    live: 'live',
    connecting: 'connecting',
    reconnecting: 'live: reconnecting',
    polling: `live: reconnecting · polling every ${POLL_MS / 1000} s`,
    offline: 'offline: retrying',
  }[status] || status;
  const u = state.unsaved;
  el.classList.toggle('unsaved', !!u);
  el.title = u ? `Samples since ${clock(new Date(u.since), true)} were shown but not stored (${u.code}): history will `
    + 'miss them unless the agent delivers them again.' : '';
  setText(el.querySelector('span'), u ? `${text} · not saved` : text);
}

/** Sample age and staleness, refreshed every second so a silent agent is visible without any new data. */
function tick() {
  const ts = state.snap?.ts;
  const el = $('#updated');
  if (!ts) { setText(el, '—'); return; }
  const age = Date.now() - Date.parse(ts);
  el.dateTime = ts;
  setText(el, `${clock(new Date(ts), true)} · ${ago(age)}`);
  const stale = age > Math.max(3 * state.intervalS * 1000, 10000);
  document.body.classList.toggle('stale', stale);
  el.title = stale ? 'No new sample for a while: the agent may be down or the server unreachable.' : '';
  if (state.unsaved && Date.now() - state.unsaved.at > 3 * state.intervalS * 1000) {
    state.unsaved = null;
    renderLive(feed.status);
  }
}

function notice(html, isError = false) {
  const el = $('#notice');
  el.hidden = !html;
  el.classList.toggle('error', isError);
  setHtml(el, html || '');
}

// ---- alerts -------------------------------------------------------------------------------------------------

let alertsTimer = null;

function loadAlerts() {
  alerts.load().catch(() => {}); // the panel shows the error
}

// A burst of alert frames (a rule firing on every GPU at once) renders once.
function scheduleAlerts() {
  if (alertsTimer) return;
  alertsTimer = setTimeout(() => {
    alertsTimer = null;
    renderAlerts();
    if (FLEET) fleetView?.alertsChanged();
    else render();
  }, 50);
}

function renderAlerts() {
  renderAlertsPanel($('#alerts'), alerts);
  renderAlertsBadge($('#alerts-badge'), alerts);
  renderServerChips($('#alerts-servers'), alerts.byServer(), state.server);
  renderServersWithAlerts();
}

function initAlerts(mePromise) {
  mePromise.then((me) => {
    // Unknown user (api/me failed): offer the button and let the server decide; a 403 then disables it.
    alerts.canAck = me ? (me.permissions ? me.permissions.includes('acknowledge') : me.role !== 'reader') : true;
    renderAlerts();
  });
  $('#alerts').addEventListener('click', (e) => {
    const ack = e.target.closest('button[data-ack]');
    if (ack) alerts.acknowledge(ack.dataset.ack);
    const srv = e.target.closest('button[data-server]');
    if (srv && FLEET) location.assign(`?server=${encodeURIComponent(srv.dataset.server)}`);
    else if (srv && state.servers.some((s) => s.slug === srv.dataset.server)) selectServer(srv.dataset.server);
  });
  renderAlerts();
  loadAlerts();
  // Relative times ("3 min ago") age; rows whose text did not change are left alone.
  setInterval(renderAlerts, 15000);
}

// ---- charts ------------------------------------------------------------------------------------------------

const C = { gpu: '#3fb97a', gpu2: '#9be27a', mem: '#b48cf2', cpu: '#4c9df0', io: '#e7b44c', read: '#2ec4b6', write: '#f08c5d', down: '#4c9df0', up: '#e56fb0', swap: '#f0605d' };
const pctFmt = (v, axis) => (axis ? `${v.toFixed(0)}%` : pct(v));
const rateFmt = (v) => rate(v);
const charts = {};
let chartsTimer = null;
// One cursor across every chart, and drag-to-zoom on any of them (double-click: back to the chosen range).
const sync = new ChartSync((range) => zoomTo(range));

function makeCharts() {
  charts.gpu = sync.add(new TimeChart($('#ch-gpu'), { max: 100, format: pctFmt, series: [
    { label: 'avg', color: C.gpu, key: 'gpuAvg' },
    { label: 'max', color: C.gpu2, key: 'gpuMax' },
    { label: 'memory', color: C.mem, key: 'gpuMem' }] }));
  charts.cpu = sync.add(new TimeChart($('#ch-cpu'), { max: 100, format: pctFmt, series: [
    { label: 'busy', color: C.cpu, key: 'cpu' },
    { label: 'iowait', color: C.io, key: 'iowait' }] }));
  // Memory is drawn against the machine's RAM size, so a full chart means a full machine.
  charts.mem = sync.add(new TimeChart($('#ch-mem'), { format: (v, axis) => bytes(v, axis ? 0 : 1), maxFrom: lastRamTotal, series: [
    { label: 'RAM used', color: C.mem, key: 'ram' },
    { label: 'swap used', color: C.swap, key: 'swap' }] }));
  charts.disk = sync.add(new TimeChart($('#ch-disk'), { format: rateFmt, series: [
    { label: 'read', color: C.read, key: 'read' },
    { label: 'write', color: C.write, key: 'write' }] }));
  charts.net = sync.add(new TimeChart($('#ch-net'), { format: rateFmt, series: [
    { label: 'down', color: C.down, key: 'down' },
    { label: 'up', color: C.up, key: 'up' }] }));
  // GPU history (issue 16): one line per GPU, their series set once the points say which GPUs there are.
  const degFmt = (v) => temp(v);
  charts.gpuUt = sync.add(new TimeChart($('#ch-gpu-ut'), { max: 100, format: (v, axis) => (axis ? v.toFixed(0) : pct(v)), series: [] }));
  charts.gpuUtil = sync.add(new TimeChart($('#ch-gpu-util'), { max: 100, format: pctFmt, series: [] }));
  charts.gpuMem = sync.add(new TimeChart($('#ch-gpu-mem'), { max: 100, format: pctFmt, series: [] }));
  charts.gpuTemp = sync.add(new TimeChart($('#ch-gpu-temp'), { format: (v, axis) => (axis ? `${v.toFixed(0)}°` : degFmt(v)), series: [] }));
  charts.gpuPower = sync.add(new TimeChart($('#ch-gpu-power'), { format: (v, axis) => (axis ? `${v.toFixed(0)} W` : watts(v)), series: [] }));
  charts.strip = new LabelStrip($('#strip'), labelColor);
  setHtml($('#strip-legend'), KNOWN_LABELS.map((l) =>
    `<li><i data-bg="${esc(labelColor(l === 'mixed-*' ? 'mixed-cpu' : l))}"></i>${esc(l)}</li>`).join(''));
}

function lastRamTotal(cols) {
  const total = cols.col('ramTotal');
  for (let i = cols.end - 1; total && i >= cols.start; i--) if (total[i] > 0) return total[i];
  return null;
}

function scheduleCharts() {
  if (chartsTimer) return;
  chartsTimer = setTimeout(drawCharts, 60);
}

function drawCharts() {
  chartsTimer = null;
  const range = history.range();
  gpuSeries();
  for (const c of Object.values(charts)) c.set(history.cols, range, history.stepMs);
  const step = history.stepMs / 1000;
  const stepText = step >= 3600 ? `${step / 3600} h` : step >= 60 ? `${step / 60} min` : `${step} s`;
  const zoomText = state.zoom
    ? ` · ${new Date(range[0]).toLocaleString([], { hour12: false })} – ${new Date(range[1]).toLocaleString([], { hour12: false })} (double-click a chart to go back)`
    : '';
  setText($('#hist-meta'), `${history.cols.length} points · step ${stepText} · ${history.resolution}${zoomText}`);
  $('#ch-gpu').classList.toggle('no-data', !history.cols.any('gpuAvg'));
}

const GPU_COLORS = ['#3fb97a', '#4c9df0', '#e7b44c', '#e56fb0', '#b48cf2', '#2ec4b6', '#f08c5d', '#9be27a',
  '#f0605d', '#7fd1f5', '#d9c36a', '#c58af9'];
const gpuColor = (i) => GPU_COLORS[i % GPU_COLORS.length];
let gpuSeriesKey = null;

/** The GPU charts' lines: one per GPU (or the chosen one), re-made only when the set of GPUs or the choice changes. */
function gpuSeries() {
  const all = gpuIndices(history.cols);
  const focus = all.includes(state.gpuFocus) ? state.gpuFocus : null;
  const shown = focus == null ? all : [focus];
  const key = `${shown.join(',')}|${focus}`;
  $('#gpu-history').classList.toggle('no-data', !all.length);
  if (key === gpuSeriesKey) return;
  gpuSeriesKey = key;
  const per = (kind) => shown.map((i) => ({ label: `GPU ${i}`, color: gpuColor(i), noFill: true, key: gpuKey(i, kind) }));
  charts.gpuUtil.setSeries(per('u'));
  charts.gpuMem.setSeries(per('m'));
  charts.gpuTemp.setSeries(per('t'));
  charts.gpuPower.setSeries(per('p'));
  // Seed 004 FR-5.3: utilization and temperature on one chart (both read on 0-100).
  charts.gpuUt.setSeries(focus == null ? [
    { label: 'util avg', color: C.gpu, key: 'gpuAvg', format: pct },
    { label: 'util max', color: C.gpu2, noFill: true, key: 'gpuMax', format: pct },
    { label: 'temp max', color: C.swap, noFill: true, key: 'tempMax', format: temp },
  ] : [
    { label: `GPU ${focus} util`, color: C.gpu, key: gpuKey(focus, 'u'), format: pct },
    { label: `GPU ${focus} temp`, color: C.swap, noFill: true, key: gpuKey(focus, 't'), format: temp },
  ]);
  setText($('#gpu-hist-title'), focus == null ? 'GPU history' : `GPU ${focus} history`);
  $('#gpu-all').hidden = focus == null;
  setHtml($('#gpu-legend'), shown.map((i) =>
    `<li><button type="button" class="gpu-key" data-gpu="${i}" aria-pressed="${i === focus}"><i data-bg="${gpuColor(i)}"></i>GPU ${i}</button></li>`).join(''));
}

/** Shows one GPU's history alone (null: all of them), in the URL too so the view can be shared. */
function focusGpu(index, scroll) {
  state.gpuFocus = index;
  const url = new URL(location.href);
  if (index == null) url.searchParams.delete('gpu');
  else url.searchParams.set('gpu', String(index));
  window.history.replaceState(null, '', url);
  drawCharts();
  if (scroll) $('#gpu-history').scrollIntoView({ block: 'start', behavior: 'smooth' });
}

function wireGpuFocus() {
  const pick = (e) => {
    const el = e.target.closest('[data-gpu]');
    if (!el) return;
    const i = Number(el.dataset.gpu);
    if (!Number.isInteger(i)) return;
    focusGpu(el.classList.contains('gpu-key') && state.gpuFocus === i ? null : i, el.classList.contains('gpu'));
  };
  $('#gpus').addEventListener('click', pick);
  $('#gpus').addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(e); } });
  $('#gpu-legend').addEventListener('click', pick);
  $('#gpu-all').addEventListener('click', () => focusGpu(null, false));
}

function setRange(r) {
  if (!RANGES[r]) r = '1h';
  state.range = r;
  state.zoom = null;
  for (const b of document.querySelectorAll('[data-range]')) b.setAttribute('aria-pressed', String(b.dataset.range === r));
  const url = new URL(location.href);
  url.searchParams.set('range', r);
  window.history.replaceState(null, '', url);
  zoomInUrl();
}

// ---- start ---------------------------------------------------------------------------------------------------

async function main() {
  initThemeToggle($('#theme'), () => { if (!FLEET) drawCharts(); });
  if (FLEET) {
    document.body.dataset.view = 'fleet';
    initAlerts(initAccount());
    renderLive('connecting');
    fleetView = startFleetView(alerts);
    feed.start(null);
    return;
  }
  initAlerts(initAccount());
  makeCharts();
  // Read before setRange writes the URL: a shared link's zoom window must survive it.
  const params = new URLSearchParams(location.search);
  setRange(params.get('range') || '1h');
  const zf = Date.parse(params.get('from'));
  const zt = Date.parse(params.get('to'));
  if (Number.isFinite(zf) && Number.isFinite(zt) && zt > zf) {
    state.zoom = [zf, zt];
    zoomInUrl();
  }
  const gpu = Number.parseInt(params.get('gpu'), 10);
  state.gpuFocus = Number.isInteger(gpu) && gpu >= 0 ? gpu : null;
  wireGpuFocus();
  wireCustomRange();
  renderLive('connecting');
  api.config().then((c) => {
    if (c.sampling_interval_ms) state.intervalS = c.sampling_interval_ms / 1000;
    if (c.bottleneck_window_ms) setText($('#window'), `· over the last ${c.bottleneck_window_ms / 1000} s`);
  }).catch(() => {});
  await loadServers();
  if (!state.server) {
    notice('No servers registered yet. Register one with <code>trainwatch register-server SLUG</code> and start its agent.');
    document.body.dataset.ready = '1';
    return;
  }
  $('#server').addEventListener('change', (e) => selectServer(e.target.value));
  for (const b of document.querySelectorAll('[data-range]')) {
    b.addEventListener('click', () => { setRange(b.dataset.range); loadHistory(); });
  }
  const url = new URL(location.href);
  url.searchParams.set('server', state.server);
  window.history.replaceState(null, '', url);
  render();
  pollLatest().catch(() => {});
  loadHistory();
  feed.start(state.server);
  setInterval(tick, 1000);
  setInterval(loadServers, 15000);
  // The time axis moves even when no data arrives (a silent server should visibly fall behind).
  setInterval(scheduleCharts, 10000);
}

main();
