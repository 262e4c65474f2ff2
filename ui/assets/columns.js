// Chart data as columns: one Float64Array of times and one per field, rows [start, end). A chart draws by walking
// typed arrays; reading one object per point instead costs ~35 ns a value once the key differs per series, most of
// a first draw of 16 series × 86,400 points (docs/benchmarks.md). Pure (no DOM), unit-tested in ui/test/.
//
// An absent value is NaN, never 0: a chart leaves a hole there and a legend shows "—". Every slot past `end` is NaN
// too, so a new row starts absent in every field and a field first seen late is absent in the rows before it.

export class Columns {
  constructor(capacity = 64) {
    this.cap = Math.max(1, capacity);
    this.start = 0;
    this.end = 0;
    this.t = new Float64Array(this.cap);
    this.cols = new Map(); // field → Float64Array
    this.labels = new Array(this.cap).fill(null);
  }

  get length() {
    return this.end - this.start;
  }

  /** The field's values (indexed like `t`), or undefined when no row ever had it. */
  col(key) {
    return this.cols.get(key);
  }

  /** The field's values, made (all absent) when it is new. */
  ensure(key) {
    let c = this.cols.get(key);
    if (!c) {
      c = new Float64Array(this.cap).fill(NaN);
      this.cols.set(key, c);
    }
    return c;
  }

  keys() {
    return this.cols.keys();
  }

  /** A new row at time t, every field absent; returns its index. Arrays may be replaced: read `t`/`col()` after. */
  push(t) {
    if (this.end === this.cap) this.room();
    const i = this.end++;
    this.t[i] = t;
    return i;
  }

  /** Drops the newest row. */
  pop() {
    if (this.end === this.start) return;
    const i = --this.end;
    this.t[i] = 0;
    for (const c of this.cols.values()) c[i] = NaN;
    this.labels[i] = null;
  }

  /** Drops the rows older than t (a live window moving on); no copy until the space is needed. */
  dropBefore(t) {
    while (this.start < this.end && this.t[this.start] < t) this.start++;
  }

  /**
   * Space for one more row: rows dropped from the front are reclaimed when they are at least half the arrays,
   * otherwise the capacity doubles. Either way a row costs O(1) amortized, never a copy per sample.
   */
  room() {
    const n = this.length;
    const grow = this.start < this.cap / 2;
    const cap = grow ? this.cap * 2 : this.cap;
    const move = (a, fill) => {
      let b = a;
      if (grow) {
        b = new Float64Array(cap);
        b.set(a.subarray(this.start, this.end));
      } else {
        a.copyWithin(0, this.start, this.end);
      }
      b.fill(fill, n);
      return b;
    };
    this.t = move(this.t, 0);
    for (const [k, c] of this.cols) this.cols.set(k, move(c, NaN));
    const labels = this.labels.slice(this.start, this.end);
    labels.length = cap;
    this.labels = labels.fill(null, n);
    this.cap = cap;
    this.start = 0;
    this.end = n;
  }

  /** The value of a field in row i, or null when absent. */
  at(key, i) {
    const c = this.cols.get(key);
    const v = c ? c[i] : NaN;
    return v === v ? v : null;
  }

  /** Whether any row has the field. */
  any(key) {
    const c = this.cols.get(key);
    if (!c) return false;
    for (let i = this.start; i < this.end; i++) if (c[i] === c[i]) return true;
    return false;
  }

  /** The index of the first row at or after t (end when none). */
  lowerBound(t) {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.t[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** The index of the row nearest to t, or -1 when there are none. */
  nearest(t) {
    if (this.end === this.start) return -1;
    const i = this.lowerBound(t);
    if (i === this.end) return i - 1;
    if (i === this.start) return i;
    return t - this.t[i - 1] <= this.t[i] - t ? i - 1 : i;
  }

  /** Row i's fields, for putting back with {@link restore} (a sample folded in is taken out again). */
  save(i) {
    const vals = new Map();
    for (const [k, c] of this.cols) vals.set(k, c[i]);
    return { t: this.t[i], vals, label: this.labels[i] };
  }

  restore(i, saved) {
    this.t[i] = saved.t;
    for (const [k, c] of this.cols) c[i] = saved.vals.has(k) ? saved.vals.get(k) : NaN;
    this.labels[i] = saved.label;
  }
}
