// Small DOM helpers: cards render to strings (escaped by format.esc) and are swapped only when they change, so a
// steady metric does not churn the DOM or re-announce itself to assistive technology.

import { esc } from './format.js';

export const $ = (sel, root = document) => root.querySelector(sel);

const last = new WeakMap();

export function setHtml(el, html) {
  if (!el || last.get(el) === html) return;
  last.set(el, html);
  el.innerHTML = html;
  applyStyles(el);
}

// The CSP forbids style attributes in markup, so sizes and colours travel as data-w/-h/-bg and are set here through
// the CSSOM, which the CSP allows.
export function applyStyles(root) {
  for (const el of root.querySelectorAll('[data-w], [data-h], [data-bg]')) {
    const d = el.dataset;
    if (d.w !== undefined) el.style.width = `${d.w}%`;
    if (d.h !== undefined) el.style.height = `${d.h}%`;
    if (d.bg !== undefined) el.style.background = d.bg;
  }
}

export function setText(el, text) {
  if (el && el.textContent !== text) el.textContent = text;
}

/** A horizontal meter; the width is the value, the colour its severity. */
export function bar(value, lvl, label) {
  const w = value === null || value === undefined || !Number.isFinite(value) ? 0 : Math.max(0, Math.min(100, value));
  return `<div class="bar ${lvl}" role="meter" aria-valuemin="0" aria-valuemax="100" ${value == null ? '' : `aria-valuenow="${w.toFixed(0)}"`} aria-label="${esc(label)}"><span data-w="${w}"></span></div>`;
}

/**
 * Runs `fn` once in the next animation frame however often it is asked before then, so a burst of updates costs one
 * layout. A hidden tab gets no animation frames; the timer keeps it from falling behind (browsers slow it to 1 s).
 */
export function frameOnce(fn) {
  let asked = false;
  const run = () => {
    if (!asked) return;
    asked = false;
    fn();
  };
  return () => {
    if (asked) return;
    asked = true;
    requestAnimationFrame(run);
    setTimeout(run, 1000);
  };
}
