// What a chart strokes: absent values (NaN) and holes in time break the line, never join it or read as 0; past two
// rows per pixel column each column is at most four points, its first, lowest, highest and last value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLines } from '../assets/lines.js';

// A plot where x = t / 1000 and y = 100 - v: easy to read back.
const geo = (width) => ({ t0: 0, x0: 0, kx: 0.001, y0: 100, ky: 1, vmax: 100, width });
const runs = (l) => {
  const out = [];
  let a = 0;
  for (const e of l.ends) { out.push([...l.xy.subarray(a, e)]); a = e; }
  return out;
};
const f64 = (xs) => Float64Array.from(xs);

test('every row a point while there are few; an absent value breaks the line', () => {
  const t = f64([0, 1000, 2000, 3000, 4000]);
  const [l] = buildLines(t, [f64([10, 20, NaN, 40, 50])], 0, 5, geo(100), 5000);
  assert.deepEqual(runs(l), [[0, 90, 1, 80], [3, 60, 4, 50]]);
});

test('a hole in time longer than the gap breaks the line too', () => {
  const t = f64([0, 1000, 60000, 61000]);
  const [l] = buildLines(t, [f64([10, 20, 30, 40])], 0, 4, geo(100), 5000);
  assert.deepEqual(runs(l), [[0, 90, 1, 80], [60, 70, 61, 60]]);
});

test('a lone point is a run of its own; a series with no values has no runs', () => {
  const t = f64([0, 1000, 2000]);
  const [a, b] = buildLines(t, [f64([NaN, 5, NaN]), undefined], 0, 3, geo(100), 5000);
  assert.deepEqual(runs(a), [[1, 95]]);
  assert.deepEqual(b.ends, []);
});

test('values above the scale are drawn at its top', () => {
  const [l] = buildLines(f64([0, 1000]), [f64([50, 250])], 0, 2, geo(100), 5000);
  assert.deepEqual(runs(l), [[0, 50, 1, 0]]);
});

test('many rows per pixel column: first, lowest, highest and last of each column', () => {
  // 10 px wide, 100 rows 100 ms apart: 10 rows per column.
  const t = f64(Array.from({ length: 100 }, (_, i) => i * 100));
  const v = f64(Array.from({ length: 100 }, (_, i) => (i % 10 === 3 ? 90 : i % 10 === 6 ? 5 : 50 + (i % 10))));
  const [l] = buildLines(t, [v], 0, 100, geo(10), 5000);
  assert.equal(l.ends.length, 1);
  const pts = runs(l)[0];
  assert.ok(pts.length <= 11 * 8, `${pts.length / 2} points for 100 rows`);
  // Column 1 (rows 5–14): first 55, lowest 5, highest 90, last 54, in that order.
  const col1 = [];
  for (let i = 0; i < pts.length; i += 2) if (pts[i] === 1) col1.push(100 - pts[i + 1]);
  assert.deepEqual(col1, [55, 5, 90, 54]);
});

test('decimated lines break at absent values and holes as well', () => {
  const t = f64(Array.from({ length: 100 }, (_, i) => (i < 50 ? i * 100 : 60000 + i * 100)));
  const v = f64(Array.from({ length: 100 }, (_, i) => (i === 20 ? NaN : 50)));
  const [l] = buildLines(t, [v], 0, 100, { ...geo(10), kx: 0.0001 }, 5000);
  assert.equal(l.ends.length, 3); // before the NaN, up to the hole, after it
  for (const r of runs(l)) for (let i = 1; i < r.length; i += 2) assert.equal(r[i], 50); // never drawn as 0
});
