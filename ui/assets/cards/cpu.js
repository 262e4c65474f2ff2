// CPU: the total a dashboard always shows, plus per-core columns, because one saturated dataloader core hides
// inside a 3 % average on a 128-core box.

import { esc, pct, num, level, has } from '../format.js';
import { setHtml } from '../dom.js';

export function renderCpu(root, cpu) {
  const cores = cpu?.per_core || [];
  const hot = cores.filter((v) => v >= 90).length;
  const load = cpu?.load_avg;
  setHtml(root.querySelector('.card-body'), `
  <div class="headline"><span class="big ${level(cpu?.utilization)}">${esc(pct(cpu?.utilization))}</span>
    <span class="muted">${cores.length ? `${cores.length} cores · ${hot} ≥ 90 %` : 'per-core figures unavailable'}</span></div>
  <dl class="facts row">
    <div><dt>iowait</dt><dd class="${level(cpu?.iowait, 5, 10)}">${esc(pct(cpu?.iowait, 1))}</dd></div>
    <div><dt>steal</dt><dd>${esc(pct(cpu?.steal, 1))}</dd></div>
    <div><dt>load 1 / 5 / 15</dt><dd>${load ? load.map((v) => esc(num(v, 2))).join(' / ') : '—'}</dd></div>
  </dl>
  <div class="cores ${cores.length > 64 ? 'dense' : ''}" role="img" aria-label="${cores.length} cores, ${hot} at or above 90 percent">
    ${cores.map((v, i) => `<span class="core ${level(v)}" title="core ${i}: ${has(v) ? v.toFixed(0) + ' %' : '—'}"><i data-h="${has(v) ? Math.max(2, v) : 0}"></i></span>`).join('')}
  </div>`);
}
