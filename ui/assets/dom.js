// Small DOM helpers: cards render to strings (escaped by format.esc) and are swapped only when they change, so a
// steady metric does not churn the DOM or re-announce itself to assistive technology.

import { esc } from './format.js';

export const $ = (sel, root = document) => root.querySelector(sel);

const last = new WeakMap();

export function setHtml(el, html) {
  if (!el || last.get(el) === html) return;
  last.set(el, html);
  el.innerHTML = html;
}

export function setText(el, text) {
  if (el && el.textContent !== text) el.textContent = text;
}

/** A horizontal meter; the width is the value, the colour its severity. */
export function bar(value, lvl, label) {
  const w = value === null || value === undefined || !Number.isFinite(value) ? 0 : Math.max(0, Math.min(100, value));
  return `<div class="bar ${lvl}" role="meter" aria-valuemin="0" aria-valuemax="100" ${value == null ? '' : `aria-valuenow="${w.toFixed(0)}"`} aria-label="${esc(label)}"><span style="width:${w}%"></span></div>`;
}
