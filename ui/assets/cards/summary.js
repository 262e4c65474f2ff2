// The headline numbers beside the verdict: what an engineer checks first when a run looks slow.

import { esc, pct, bytes, rate, ratio, level, DASH } from '../format.js';
import { setHtml } from '../dom.js';

export function renderSummary(root, s, gpus) {
  const util = gpus.map((g) => g.utilization).filter((v) => v != null);
  const avg = util.length ? util.reduce((a, b) => a + b, 0) / util.length : null;
  const memUsed = gpus.reduce((a, g) => (g.memory_used != null && g.memory_total != null ? a + g.memory_used : a), 0);
  const memTot = gpus.reduce((a, g) => (g.memory_used != null && g.memory_total != null ? a + g.memory_total : a), 0);
  const ramPct = ratio(s.memory?.ram_used, s.memory?.ram_total);
  const tiles = [
    ['GPU util', gpus.length ? pct(avg) : DASH, gpus.length ? `${gpus.length} GPU${gpus.length > 1 ? 's' : ''}, max ${pct(util.length ? Math.max(...util) : null)}` : 'no GPUs reported', level(avg, 101, 101)],
    ['GPU memory', memTot ? pct(ratio(memUsed, memTot)) : DASH, memTot ? `${bytes(memUsed)} / ${bytes(memTot)}` : '', level(ratio(memUsed, memTot), 85, 95)],
    ['CPU', pct(s.cpu?.utilization), `iowait ${pct(s.cpu?.iowait)}`, level(s.cpu?.utilization, 75, 90)],
    ['RAM', pct(ramPct), `${bytes(s.memory?.ram_used)} / ${bytes(s.memory?.ram_total)}`, level(ramPct, 85, 95)],
    ['Disk', rate(sum(s.disk?.read_rate, s.disk?.write_rate)), `R ${rate(s.disk?.read_rate)} · W ${rate(s.disk?.write_rate)}`, 'ok'],
    ['Network', rate(sum(s.network?.download_rate, s.network?.upload_rate)), `↓ ${rate(s.network?.download_rate)} · ↑ ${rate(s.network?.upload_rate)}`, 'ok'],
  ];
  setHtml(root, tiles.map(([k, v, sub, lvl]) =>
    `<div class="kpi ${lvl}"><dt>${esc(k)}</dt><dd><span class="kpi-value">${esc(v)}</span><span class="kpi-sub">${esc(sub)}</span></dd></div>`).join(''));
}

function sum(a, b) {
  // A total of one known and one unknown half would understate; show it only when both halves are known.
  return a == null || b == null ? null : a + b;
}
