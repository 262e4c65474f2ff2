// Hand-drawn canvas time-series charts over columns (columns.js): up to a month at 1 s per series, redrawn only when
// the data, the range or the size changes. Drawn at devicePixelRatio so lines stay crisp on HiDPI screens.

import { esc } from './format.js';
import { setHtml } from './dom.js';
import { Columns } from './columns.js';
import { buildLines } from './lines.js';

// Left gutter shared by every chart and the label strip so their time axes line up.
const AXIS_W = 66;

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

export class TimeChart {
  /**
   * @param {HTMLElement} host  element with a .legend and a canvas inside
   * @param {object} opt  {series: [{key (a column), label, color, noFill, format(v) (this series' own, else opt's)}],
   *   format(v, axis), max (fixed, e.g. 100) | maxFrom(columns)}
   */
  constructor(host, opt) {
    this.host = host;
    this.opt = opt;
    this.canvas = host.querySelector('canvas');
    this.legend = host.querySelector('.legend');
    this.data = new Columns(1);
    this.range = [Date.now() - 3600e3, Date.now()];
    this.stepMs = 1000;
    this.sync = null; // the ChartSync this chart shares its cursor and zoom with
    this.hoverT = null; // without a sync: this chart's own hovered time
    this.dragFrom = null; // where a drag-to-zoom started (ms), while the button is down
    this.dragTo = null;
    new ResizeObserver(() => this.draw()).observe(this.canvas);
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => { this.dragFrom = null; this.setHover(null); });
    this.canvas.addEventListener('mousedown', (e) => {
      if (e.button !== 0) return;
      this.dragFrom = this.timeAt(e);
      this.dragTo = this.dragFrom;
    });
    this.canvas.addEventListener('mouseup', (e) => this.onUp(e));
    this.canvas.addEventListener('dblclick', () => this.sync?.reset());
  }

  /** The time under the pointer, from the plot's geometry (left gutter AXIS_W, right padding 8). */
  timeAt(e) {
    const r = this.canvas.getBoundingClientRect();
    const [t0, t1] = this.range;
    const f = (e.clientX - r.left - AXIS_W) / Math.max(1, r.width - AXIS_W - 8);
    return t0 + Math.min(1, Math.max(0, f)) * (t1 - t0);
  }

  onMove(e) {
    const t = this.timeAt(e);
    if (this.dragFrom !== null) this.dragTo = t;
    this.setHover(t);
  }

  /** A drag wider than a few pixels zooms every chart of the sync to it; a click is only a click. */
  onUp(e) {
    if (this.dragFrom === null) return;
    const a = this.dragFrom;
    const b = this.timeAt(e);
    this.dragFrom = null;
    const [t0, t1] = this.range;
    const px = (Math.abs(b - a) / (t1 - t0)) * (this.canvas.clientWidth - AXIS_W - 8);
    if (px >= 6 && this.sync) this.sync.zoom(Math.min(a, b), Math.max(a, b));
    else this.draw();
  }

  setHover(t) {
    if (this.sync) this.sync.hover(t);
    else { this.hoverT = t; this.draw(); }
  }

  /** Replaces the lines drawn (e.g. one per GPU, as GPUs appear or one is chosen). */
  setSeries(series) {
    this.opt.series = series;
    this.draw();
  }

  /** @param {Columns} data the rows to draw (History builds them as the reply is read, and live samples extend them) */
  set(data, range, stepMs) {
    this.data = data;
    this.range = range;
    this.stepMs = stepMs;
    this.version = (this.version || 0) + 1; // the data may have changed in place (a live sample folded in)
    this.draw();
  }

  draw() {
    const fit = fitCanvas(this.canvas);
    if (!fit) return;
    const { g, w, h } = fit;

    const pad = { l: AXIS_W, r: 8, t: 6, b: 18 };
    const pw = w - pad.l - pad.r;
    const ph = h - pad.t - pad.b;
    const [t0, t1] = this.range;
    const x = (t) => pad.l + ((t - t0) / (t1 - t0)) * pw;
    const { series, format } = this.opt;
    const d = this.data;
    const vals = series.map((s) => d.col(s.key)); // undefined: no row has that field
    let max = this.opt.max || (this.opt.maxFrom && this.opt.maxFrom(d));
    if (!max) {
      max = 0;
      for (const v of vals) if (v) for (let i = d.start; i < d.end; i++) if (v[i] > max) max = v[i]; // NaN compares false
      max = niceMax(max || 1);
    }
    const y = (v) => pad.t + ph - (Math.min(v, max) / max) * ph;

    // Grid and axes.
    g.font = `11px ${css('--font-mono') || 'monospace'}`;
    g.fillStyle = css('--muted');
    g.strokeStyle = css('--grid');
    g.lineWidth = 1;
    g.textBaseline = 'middle';
    g.textAlign = 'right';
    for (let i = 0; i <= 4; i++) {
      const v = (max * i) / 4;
      const yy = Math.round(y(v)) + 0.5;
      g.beginPath(); g.moveTo(pad.l, yy); g.lineTo(w - pad.r, yy); g.stroke();
      // An empty chart gets no scale: "0 B/s … 1 B/s" would read as a measurement.
      if (i > 0 && d.length) g.fillText(format(v, true), pad.l - 6, yy);
    }
    g.textAlign = 'center';
    g.textBaseline = 'alphabetic';
    for (const t of timeTicks(t0, t1, Math.max(2, Math.floor(pw / 110)))) {
      g.fillText(label(t, t1 - t0), x(t), h - 4);
    }

    // A hole longer than a few steps is drawn as a hole: missing data is not interpolated across.
    const gapMs = Math.max(this.stepMs * 3.5, 5000);
    // Only the rows in view are walked, straight out of the typed arrays, and past two rows per pixel column each
    // column is reduced to four points (lines.js), so a day at 1 s costs one pass over the values plus what the
    // width costs. The lines only change with the data, the range, the size or the series: a cursor moving over the
    // chart redraws the cached lines instead of walking every row again.
    const key = `${this.version}|${t0}|${t1}|${w}|${h}|${max}`;
    if (this.cache?.key !== key || this.cache.series !== series) {
      const from = Math.max(d.start, d.lowerBound(t0) - 1);
      const to = Math.min(d.end, d.lowerBound(t1) + 1);
      const geo = { t0, x0: pad.l, kx: pw / (t1 - t0), y0: pad.t + ph, ky: ph / max, vmax: max, width: pw };
      this.cache = { key, series, lines: buildLines(d.t, vals, from, to, geo, gapMs) };
    }
    g.save();
    g.beginPath();
    g.rect(pad.l, 0, pw, h);
    g.clip();
    g.lineWidth = 1.5;
    g.lineJoin = 'round';
    series.forEach((s, si) => {
      const { xy, ends } = this.cache.lines[si];
      if (!ends.length) return;
      if (si === 0 && !s.noFill) {
        const grad = g.createLinearGradient(0, pad.t, 0, pad.t + ph);
        grad.addColorStop(0, s.color + '55');
        grad.addColorStop(1, s.color + '05');
        g.fillStyle = grad;
        g.beginPath();
        let a = 0;
        for (const e of ends) {
          g.moveTo(xy[a], pad.t + ph);
          for (let i = a; i < e; i += 2) g.lineTo(xy[i], xy[i + 1]);
          g.lineTo(xy[e - 2], pad.t + ph);
          g.closePath();
          a = e;
        }
        g.fill();
      }
      // Every run of the series in one path, stroked once; a lone point is a dot.
      g.strokeStyle = s.color;
      g.beginPath();
      let a = 0;
      for (const e of ends) {
        if (e - a === 2) {
          g.moveTo(xy[a] + 1.5, xy[a + 1]);
          g.arc(xy[a], xy[a + 1], 1.5, 0, 2 * Math.PI);
        } else {
          g.moveTo(xy[a], xy[a + 1]);
          for (let i = a + 2; i < e; i += 2) g.lineTo(xy[i], xy[i + 1]);
        }
        a = e;
      }
      g.stroke();
    });
    g.restore();

    // A drag in progress: the band it would zoom to.
    if (this.dragFrom !== null && this.dragTo !== null && this.dragTo !== this.dragFrom) {
      const a = x(Math.min(this.dragFrom, this.dragTo));
      const b = x(Math.max(this.dragFrom, this.dragTo));
      g.fillStyle = css('--info') + '33';
      g.fillRect(a, pad.t, b - a, ph);
    }

    // Crosshair, at the time hovered on any chart of the sync: the legend shows that point instead of the latest.
    const hoverT = this.sync ? this.sync.hoverT : this.hoverT;
    const hovering = hoverT !== null && hoverT >= t0 && hoverT <= t1 && d.length > 0;
    let shown = d.end - 1; // below d.start when there are no rows
    if (hovering) {
      shown = d.nearest(hoverT);
      const xx = Math.round(x(d.t[shown])) + 0.5;
      g.strokeStyle = css('--muted');
      g.setLineDash([3, 3]);
      g.beginPath(); g.moveTo(xx, pad.t); g.lineTo(xx, pad.t + ph); g.stroke();
      g.setLineDash([]);
    }
    this.renderLegend(shown, hovering);
  }

  /** The values of row i (the newest, or the one under the cursor); absent ones read "—". */
  renderLegend(i, hovering) {
    if (!this.legend) return;
    const d = this.data;
    const has = i >= d.start && i < d.end;
    const long = this.range[1] - this.range[0] > 86400e3;
    const when = hovering && has ? `<span class="when">${esc((long ? WHEN.full : WHEN.time).format(d.t[i]))}</span>` : '';
    const html = this.opt.series.map((s) =>
      `<span class="key"><i data-bg="${esc(s.color)}"></i>${esc(s.label)} <b>${has ? esc((s.format || this.opt.format)(d.at(s.key, i))) : '—'}</b></span>`).join('') + when;
    setHtml(this.legend, html);
  }
}

/** A strip of coloured cells: the bottleneck label over the chart's time range. */
export class LabelStrip {
  constructor(host, colorOf) {
    this.host = host;
    this.canvas = host.querySelector('canvas');
    this.colorOf = colorOf;
    this.data = new Columns(1);
    this.range = [0, 1];
    this.stepMs = 1000;
    new ResizeObserver(() => this.draw()).observe(this.canvas);
    this.canvas.addEventListener('mousemove', (e) => {
      const r = this.canvas.getBoundingClientRect();
      const [t0, t1] = this.range;
      const t = t0 + ((e.clientX - r.left - AXIS_W) / (r.width - AXIS_W - 8)) * (t1 - t0);
      const i = this.data.nearest(t);
      const label = i >= 0 ? this.data.labels[i] : null;
      this.canvas.title = label ? `${WHEN.time.format(this.data.t[i])}  ${label}` : '';
    });
  }

  set(data, range, stepMs) {
    this.data = data;
    this.range = range;
    this.stepMs = stepMs;
    this.draw();
  }

  draw() {
    const fit = fitCanvas(this.canvas);
    if (!fit) return;
    const { g, w, h } = fit;
    const l = AXIS_W;
    const pw = w - l - 8;
    const [t0, t1] = this.range;
    const x = (t) => l + ((t - t0) / (t1 - t0)) * pw;
    g.fillStyle = css('--grid');
    g.fillRect(l, 0, pw, h);
    const gapMs = Math.max(this.stepMs * 3.5, 5000);
    // Consecutive points with one label are one rectangle: per-point cells leave anti-aliased seams.
    const { t, labels } = this.data;
    const last = this.data.end - 1;
    let start = null;
    for (let i = Math.max(this.data.start, this.data.lowerBound(t0) - 1); i <= last; i++) {
      const label = labels[i];
      if (!label || t[i] < t0) continue;
      if (start === null) start = t[i];
      const next = i < last ? i + 1 : -1;
      const near = next >= 0 && t[next] - t[i] <= gapMs;
      if (near && labels[next] === label) continue;
      const end = near ? t[next] : t[i] + this.stepMs;
      g.fillStyle = this.colorOf(label);
      const x0 = Math.floor(x(start));
      g.fillRect(x0, 0, Math.max(1, Math.ceil(x(end)) - x0), h);
      start = null;
    }
  }
}

/**
 * Sizes a canvas's backing store to its CSS size × devicePixelRatio (crisp lines on HiDPI screens), only when that
 * changed, and returns a cleared context in CSS pixels; null while the canvas is not laid out.
 */
function fitCanvas(c) {
  const dpr = window.devicePixelRatio || 1;
  const w = c.clientWidth;
  const h = c.clientHeight;
  if (!w || !h) return null;
  if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
  }
  const g = c.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  return { g, w, h };
}

/** Shared by the charts of a page: the hovered time (one crosshair on every chart) and drag-to-zoom. */
export class ChartSync {
  /** @param {(range: [number, number] | null) => void} onZoom a dragged window, or null (double-click: reset) */
  constructor(onZoom) {
    this.charts = [];
    this.hoverT = null;
    this.onZoom = onZoom;
  }

  add(chart) {
    chart.sync = this;
    this.charts.push(chart);
    return chart;
  }

  hover(t) {
    this.hoverT = t;
    for (const c of this.charts) c.draw();
  }

  zoom(t0, t1) {
    this.onZoom([Math.round(t0), Math.round(t1)]);
  }

  reset() {
    this.onZoom(null);
  }
}

function niceMax(v) {
  const e = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.25, 2, 2.5, 4, 5, 8, 10]) if (m * e >= v) return m * e;
  return 10 * e;
}

function timeTicks(t0, t1, n) {
  const span = t1 - t0;
  const day = 86400e3;
  const steps = [10e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 10800e3, 21600e3, 43200e3,
    day, 2 * day, 7 * day];
  const step = steps.find((s) => span / s <= n) || 14 * day;
  const out = [];
  // Ticks fall on local wall-clock multiples so they read as "14:30", not "14:27".
  const off = new Date(t0).getTimezoneOffset() * 60e3;
  for (let t = Math.ceil((t0 - off) / step) * step + off; t <= t1; t += step) out.push(t);
  return out;
}

// Made once: Date.toLocale…String builds a formatter per call (~0.4 ms each, most of a draw's axis).
const dtf = (o) => new Intl.DateTimeFormat([], o);
const AXIS = {
  s: dtf({ hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }),
  m: dtf({ hour: '2-digit', minute: '2-digit', hour12: false }),
  wd: dtf({ weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }),
  d: dtf({ month: 'short', day: 'numeric' }),
};
const WHEN = {
  time: dtf({ hour: 'numeric', minute: 'numeric', second: 'numeric', hour12: false }),
  full: dtf({ year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hour12: false }),
};

/** An axis label that says what the span needs: seconds when zoomed in, days across a week or a month. */
function label(t, span) {
  if (span <= 10 * 60e3) return AXIS.s.format(t);
  if (span <= 36 * 3600e3) return AXIS.m.format(t);
  if (span <= 4 * 86400e3) return AXIS.wd.format(t);
  return AXIS.d.format(t);
}
