// What a time chart strokes, from its columns (columns.js): per series, runs of [x, y, x, y, …] points in pixels,
// broken wherever a value is absent (NaN) or the data has a hole in time, so a gap is drawn as a gap and never
// joined or read as 0. Past two rows per pixel column each column is reduced to its first, lowest, highest and last
// value (min/max decimation): a day at 1 s costs one pass over the values plus ~4 points per column. Pure (no DOM),
// unit-tested with `node --test ui/test/`.

/** One series' points: xy[0 … n) as x, y pairs; run k is xy[ends[k - 1] ?? 0 … ends[k]). */
export class Lines {
  constructor(capacity) {
    this.xy = new Float32Array(Math.max(16, capacity));
    this.n = 0;
    this.ends = [];
  }

  grow() {
    const b = new Float32Array(this.xy.length * 2);
    b.set(this.xy);
    this.xy = b;
  }

  /** Ends the run in progress, if any. */
  cut() {
    if (this.n && this.ends[this.ends.length - 1] !== this.n) this.ends.push(this.n);
  }
}

const NONE = new Lines(0);

/**
 * The lines of rows [from, to) of every series.
 * @param {Float64Array} t the rows' times (ms)
 * @param {(Float64Array | undefined)[]} vals each series' values, NaN where absent; undefined: the series has none
 * @param {{t0: number, x0: number, kx: number, y0: number, ky: number, vmax: number, width: number}} g the plot:
 *   time t0 is at pixel x0, kx pixels per ms; value 0 at pixel y0, ky pixels per unit upwards, values clamped to
 *   vmax; width in pixels
 * @param {number} gapMs a longer step between two rows is a hole
 * @returns {Lines[]} one per series
 */
export function buildLines(t, vals, from, to, g, gapMs) {
  const rows = Math.max(0, to - from);
  // Shared by every series: each row's x, and whether a hole in time comes before it.
  const decimate = rows > 2 * g.width;
  const px = decimate ? new Int32Array(rows) : new Float64Array(rows);
  const hole = new Uint8Array(rows);
  for (let k = 0; k < rows; k++) {
    const i = from + k;
    const x = g.x0 + (t[i] - g.t0) * g.kx;
    px[k] = decimate ? Math.round(x) : x;
    hole[k] = k > 0 && t[i] - t[i - 1] > gapMs ? 1 : 0;
  }
  return vals.map((v) => {
    if (!v) return NONE;
    return decimate ? decimated(v, from, rows, px, hole, g) : plain(v, from, rows, px, hole, g);
  });
}

/** Every row a point. */
function plain(v, from, rows, px, hole, g) {
  const out = new Lines(2 * rows);
  for (let k = 0; k < rows; k++) {
    const val = v[from + k];
    if (val !== val || hole[k]) out.cut();
    if (val !== val) continue;
    if (out.n + 2 > out.xy.length) out.grow();
    out.xy[out.n++] = px[k];
    out.xy[out.n++] = yOf(val, g);
  }
  out.cut();
  return out;
}

/** At most four points per pixel column: its first, lowest, highest and last value, in that order. */
function decimated(v, from, rows, px, hole, g) {
  const out = new Lines(8 * (g.width + 2));
  let open = false; // a column is being gathered
  let col = 0;
  let first = 0;
  let min = 0;
  let max = 0;
  let last = 0;
  for (let k = 0; k < rows; k++) {
    const val = v[from + k];
    if (val !== val || hole[k]) {
      if (open) column(out, col, first, min, max, last, g);
      open = false;
      out.cut();
      if (val !== val) continue;
    }
    const c = px[k];
    if (!open || c !== col) {
      if (open) column(out, col, first, min, max, last, g);
      open = true;
      col = c;
      first = min = max = last = val;
    } else {
      if (val < min) min = val;
      else if (val > max) max = val;
      last = val;
    }
  }
  if (open) column(out, col, first, min, max, last, g);
  out.cut();
  return out;
}

const yOf = (val, g) => g.y0 - (val > g.vmax ? g.vmax : val) * g.ky;

function column(out, x, first, min, max, last, g) {
  if (out.n + 8 > out.xy.length) out.grow();
  const xy = out.xy;
  let n = out.n;
  xy[n++] = x;
  xy[n++] = yOf(first, g);
  if (min !== first) { xy[n++] = x; xy[n++] = yOf(min, g); }
  if (max !== min) { xy[n++] = x; xy[n++] = yOf(max, g); }
  if (last !== max) { xy[n++] = x; xy[n++] = yOf(last, g); }
  out.n = n;
}
