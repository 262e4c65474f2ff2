// Host memory: RAM and swap with the swap traffic, since swapping (not a full-looking page cache) is what stalls
// dataloaders.

import { esc, pct, bytes, rate, ratio, level } from '../format.js';
import { setHtml, bar } from '../dom.js';

export function renderMemory(root, m) {
  const ramPct = ratio(m?.ram_used, m?.ram_total);
  const swapPct = ratio(m?.swap_used, m?.swap_total);
  const availPct = ratio(m?.ram_available, m?.ram_total);
  setHtml(root.querySelector('.card-body'), `
  <div class="headline"><span class="big ${level(ramPct, 85, 95)}">${esc(pct(ramPct))}</span>
    <span class="muted">${esc(bytes(m?.ram_used))} of ${esc(bytes(m?.ram_total))}</span></div>
  <dl class="meters">
    <div><dt>RAM</dt><dd>${bar(ramPct, level(ramPct, 85, 95), 'RAM used')}<span>${esc(bytes(m?.ram_used))} / ${esc(bytes(m?.ram_total))}</span></dd></div>
    <div><dt>Swap</dt><dd>${bar(swapPct, level(swapPct, 25, 60), 'swap used')}<span>${m?.swap_total === 0 ? 'no swap' : `${esc(bytes(m?.swap_used))} / ${esc(bytes(m?.swap_total))}`}</span></dd></div>
  </dl>
  <dl class="facts row">
    <div><dt>available</dt><dd class="${availPct != null && availPct <= 8 ? 'crit' : ''}">${esc(bytes(m?.ram_available))}</dd></div>
    <div><dt>swap in</dt><dd>${esc(rate(m?.swap_in_rate))}</dd></div>
    <div><dt>swap out</dt><dd>${esc(rate(m?.swap_out_rate))}</dd></div>
  </dl>`);
}
