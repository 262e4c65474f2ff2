// One card per GPU. Utilization alone lies (a hung NCCL job can read 100 %), so each card puts power, clocks and
// throttle reasons next to it; a sparkline of the last minutes shows whether utilization is steady or collapsing.

import { esc, pct, bytes, rate, temp, watts, mhz, num, ratio, level, ago, DASH } from '../format.js';
import { setHtml, bar } from '../dom.js';
import { THROTTLE, BENIGN_THROTTLE, XID } from './labels.js';
import { gpuMark, severity } from './alerts.js';

const SPARK_POINTS = 120;
const sparks = new Map(); // `${server}/${uuid or index}` → [{t, v}]

export function recordGpu(server, g, ts) {
  const key = `${server}/${g.uuid || g.index}`;
  const arr = sparks.get(key) || [];
  const t = Date.parse(ts);
  if (arr.length && arr[arr.length - 1].t >= t) return;
  arr.push({ t, v: g.utilization });
  if (arr.length > SPARK_POINTS) arr.shift();
  sparks.set(key, arr);
}

/** @param {Map<number, object[]>} marks GPU index → its alerts that mark the card (alerts.js `gpuMarks`) */
export function renderGpus(root, server, gpus, newestTs, intervalS, waiting, marks = new Map()) {
  if (waiting) {
    setHtml(root, '<p class="empty">Waiting for the first sample…</p>');
    return;
  }
  if (!gpus.length) {
    setHtml(root, '<p class="empty">No GPUs reported by this server (no NVIDIA driver, or the agent cannot read NVML).</p>');
    return;
  }
  setHtml(root, gpus.map((e) => card(server, e.data, e.ts, newestTs, intervalS, marks.get(Number(e.data.index)))).join(''));
}

function card(server, g, ts, newestTs, intervalS, alerts) {
  const lagMs = newestTs && ts ? newestTs - Date.parse(ts) : 0;
  const stale = lagMs > Math.max(3 * (intervalS || 2) * 1000, 6000);
  const memPct = ratio(g.memory_used, g.memory_total);
  const powPct = ratio(g.power, g.power_limit);
  const reasons = g.clock_event_reasons || [];
  const bad = reasons.filter((r) => !BENIGN_THROTTLE.has(r));
  const xids = g.xid_events || [];
  const tTone = level(g.temperature, 80, 87);
  return `<article class="card gpu ${stale ? 'stale' : ''} ${bad.length ? 'throttled' : ''} ${xids.length ? 'faulted' : ''} ${alerts?.length ? `alerting sev-${severity(alerts[0])}` : ''}" aria-labelledby="gpu-${esc(g.index)}-title" data-gpu="${esc(g.index)}" tabindex="0" title="Show GPU ${esc(g.index)}'s history">
  <header class="gpu-head">
    <h3 id="gpu-${esc(g.index)}-title"><span class="gpu-idx">GPU ${esc(g.index)}</span> <span class="gpu-name" title="${esc(g.uuid)}">${esc(shortName(g.name))}</span></h3>
    ${gpuMark(alerts)}
    <span class="temp ${tTone}" title="temperature">${esc(temp(g.temperature))}</span>
  </header>
  ${stale ? `<p class="stale-note">no update for ${esc(ago(lagMs))}</p>` : ''}
  <div class="gpu-util">
    <span class="big ${level(g.utilization, 101, 101)}">${esc(pct(g.utilization))}</span>
    <span class="big-label">utilization</span>
    ${spark(server, g)}
  </div>
  <dl class="meters">
    <div><dt>Memory</dt><dd>${bar(memPct, level(memPct, 85, 95), 'GPU memory used')}<span>${esc(bytes(g.memory_used))} / ${esc(bytes(g.memory_total))}</span></dd></div>
    <div><dt>Power</dt><dd>${bar(powPct, level(powPct, 90, 98), 'power versus limit')}<span>${esc(watts(g.power))} / ${esc(watts(g.power_limit))}</span></dd></div>
  </dl>
  <dl class="facts">
    <div><dt>SM clock</dt><dd>${esc(mhz(g.sm_clock))}</dd></div>
    <div><dt>Mem clock</dt><dd>${esc(mhz(g.mem_clock))}</dd></div>
    <div><dt>Mem util</dt><dd>${esc(pct(g.memory_utilization))}</dd></div>
    <div><dt>Avg power</dt><dd>${esc(watts(g.average_power))}</dd></div>
    <div><dt>PCIe rx</dt><dd>${esc(rate(g.pcie_rx_rate))}</dd></div>
    <div><dt>PCIe tx</dt><dd>${esc(rate(g.pcie_tx_rate))}</dd></div>
    <div><dt>Fan</dt><dd>${esc(pct(g.fan))}</dd></div>
    <div><dt>Enc / dec</dt><dd>${esc(g.encoder == null && g.decoder == null ? DASH : `${num(g.encoder)} / ${num(g.decoder)} %`)}</dd></div>
    <div><dt>ECC uncorr.</dt><dd class="${g.ecc_uncorrected_total > 0 ? 'crit' : ''}">${esc(num(g.ecc_uncorrected_total))}</dd></div>
  </dl>
  <ul class="chips" aria-label="clock events and faults">
    ${reasons.length ? reasons.map((r) => `<li class="chip ${BENIGN_THROTTLE.has(r) ? 'muted' : 'warn'}" title="clock event reason ${esc(r)}">${esc(THROTTLE[r] || r)}</li>`).join('') : (g.clock_event_reasons ? '<li class="chip ok">full clocks</li>' : '')}
    ${xids.map((x) => `<li class="chip bad" title="${esc(x.ts || '')}">XID ${esc(x.xid)}${XID[x.xid] ? ': ' + esc(XID[x.xid]) : ''}</li>`).join('')}
  </ul>
</article>`;
}

function shortName(n) {
  return (n || 'GPU').replace(/^NVIDIA\s+/, '');
}

// Inline SVG scales with the card without a canvas per GPU; the 0–100 axis is fixed so 2 % never looks like 100 %.
function spark(server, g) {
  const arr = sparks.get(`${server}/${g.uuid || g.index}`) || [];
  if (arr.length < 2) return '<svg class="spark" aria-hidden="true"></svg>';
  const t0 = arr[0].t;
  const span = Math.max(1, arr[arr.length - 1].t - t0);
  let d = '';
  let pen = false;
  for (const p of arr) {
    if (p.v == null) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${((100 * (p.t - t0)) / span).toFixed(1)},${(30 - (p.v * 30) / 100).toFixed(1)}`;
    pen = true;
  }
  return `<svg class="spark" viewBox="0 0 100 30" preserveAspectRatio="none" role="img" aria-label="utilization over the last ${arr.length} samples"><path d="${d}" vector-effect="non-scaling-stroke"/></svg>`;
}
