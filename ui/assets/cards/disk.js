// Disks: summed rates up top, then per device, because one saturated NVMe behind a dataset is the usual io-bound.

import { esc, pct, rate, iops, level } from '../format.js';
import { setHtml, bar } from '../dom.js';

export function renderDisk(root, d) {
  const disks = d?.disks || [];
  setHtml(root.querySelector('.card-body'), `
  <div class="headline two"><span><span class="dir">read</span> <span class="big">${esc(rate(d?.read_rate))}</span></span>
    <span><span class="dir">write</span> <span class="big">${esc(rate(d?.write_rate))}</span></span></div>
  ${disks.length ? `<table class="grid">
    <thead><tr><th scope="col">device</th><th scope="col" class="n">read</th><th scope="col" class="n">write</th><th scope="col" class="n">r IOPS</th><th scope="col" class="n">w IOPS</th><th scope="col">util</th></tr></thead>
    <tbody>${disks.map((x) => `<tr><th scope="row">${esc(x.name)}</th><td class="n">${esc(rate(x.read_rate))}</td><td class="n">${esc(rate(x.write_rate))}</td>
      <td class="n">${esc(iops(x.read_iops))}</td><td class="n">${esc(iops(x.write_iops))}</td>
      <td class="util">${bar(x.utilization, level(x.utilization, 75, 90), `${x.name} utilization`)}<span>${esc(pct(x.utilization))}</span></td></tr>`).join('')}</tbody>
  </table>` : '<p class="empty">No disks reported.</p>'}`);
}
