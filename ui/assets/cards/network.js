// Network: summed rates and per interface, with error rates so a flapping link shows up next to its traffic.

import { esc, rate, num, DASH } from '../format.js';
import { setHtml } from '../dom.js';

export function renderNetwork(root, n) {
  const ifs = n?.interfaces || [];
  setHtml(root.querySelector('.card-body'), `
  <div class="headline two"><span><span class="dir">↓ down</span> <span class="big">${esc(rate(n?.download_rate))}</span></span>
    <span><span class="dir">↑ up</span> <span class="big">${esc(rate(n?.upload_rate))}</span></span></div>
  ${ifs.length ? `<table class="grid">
    <thead><tr><th scope="col">interface</th><th scope="col" class="n">down</th><th scope="col" class="n">up</th><th scope="col" class="n">errors/s</th></tr></thead>
    <tbody>${ifs.map((x) => `<tr><th scope="row">${esc(x.name)}</th><td class="n">${esc(rate(x.download_rate))}</td><td class="n">${esc(rate(x.upload_rate))}</td>
      <td class="n ${x.error_rate > 0 ? 'crit' : ''}">${esc(x.error_rate == null ? DASH : num(x.error_rate, x.error_rate > 0 && x.error_rate < 10 ? 1 : 0))}</td></tr>`).join('')}</tbody>
  </table>` : '<p class="empty">No interfaces reported.</p>'}`);
}
