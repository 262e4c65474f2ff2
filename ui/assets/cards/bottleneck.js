// The bottleneck verdict, the product's headline: label, what it means, the rule that fired with its numbers, and
// the flags (throttling, input starvation) that stand beside it.

import { esc } from '../format.js';
import { setHtml, setText } from '../dom.js';
import { describe, flagText } from './labels.js';

export function renderBottleneck(root, b) {
  const label = b?.label ?? null;
  const d = describe(label);
  root.dataset.tone = d.tone;
  // Only the label is a live region, and it changes text only when the verdict does.
  setText(root.querySelector('.verdict-label'), label ?? '—');
  setText(root.querySelector('.verdict-text'), d.text);
  const reasons = (b?.reasons || []).filter((r) => !(b?.flags || []).some((f) => r.startsWith(f + ':')));
  setHtml(root.querySelector('.verdict-reasons'), reasons.length
    ? reasons.map((r, i) => `<li class="${i === 0 ? 'main' : ''}">${esc(r)}</li>`).join('')
    : '<li class="muted">No reasons reported yet.</li>');
  const flags = b?.flags || [];
  setHtml(root.querySelector('.verdict-flags'), flags.map((f) => {
    const why = (b?.reasons || []).find((r) => r.startsWith(f + ':'));
    return `<li class="chip ${f.startsWith('gpu-input-starved') ? 'bad' : 'warn'}" title="${esc(why || f)}">${esc(flagText(f))}</li>`;
  }).join(''));
}
