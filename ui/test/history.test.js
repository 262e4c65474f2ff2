// History as chart columns: a reply read straight into typed arrays (absent values NaN, never 0), live samples
// extending them, and live samples folded into the reply's own step as running means in which an absent field does
// not count and a sample whose frames arrive in parts counts once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, columnsOf, gpuIndices, gpuKey } from '../assets/history.js';

const T = Math.floor(Date.now() / 60000) * 60000 - 10 * 60000; // a step boundary 10 minutes ago
const snap = (ms, cpu, extra = {}) => ({ ts: new Date(T + ms).toISOString(), cpu: { utilization: cpu }, ...extra });
const values = (h, key) => [...h.cols.col(key).subarray(h.cols.start, h.cols.end)];

function history(stepMs) {
  const h = new History(() => {});
  h.stepMs = stepMs;
  return h;
}

test('a reply becomes columns with the section 4 names; absent figures are NaN, never 0', () => {
  const c = columnsOf([
    { ts: '2026-12-04T10:00:00Z', cpu: { utilization: 40, iowait: 2 }, memory: { ram_used: 1, ram_total: 4 },
      gpu_util_avg: 50, gpu_memory_used: 20, gpu_memory_total: 80, bottleneck: { label: 'gpu-bound' },
      gpus: [{ index: 0, utilization: 90, memory_used: 10, memory_total: 40, temperature: 61, power: 300 },
        { index: 1, utilization: 10, temperature: 70 }] },
    { ts: '2026-12-04T10:00:01Z', cpu: { utilization: null }, gpus: [{ index: 1, utilization: 20 }] },
  ]);
  assert.equal(c.length, 2);
  assert.equal(c.t[0], Date.parse('2026-12-04T10:00:00Z'));
  assert.equal(c.at('cpu', 0), 40);
  assert.equal(c.at('gpuMem', 0), 25);
  assert.equal(c.labels[0], 'gpu-bound');
  assert.equal(c.at('read', 0), null);
  assert.ok(Number.isNaN(c.col('cpu')[1])); // null in the reply: a gap, not 0
  assert.ok(Number.isNaN(c.col('iowait')[1]));
  assert.equal(c.at(gpuKey(0, 'u'), 0), 90);
  assert.equal(c.at(gpuKey(0, 'm'), 0), 25);
  assert.equal(c.at(gpuKey(1, 'm'), 0), null); // no memory figures for GPU 1
  assert.equal(c.at(gpuKey(0, 'u'), 1), null); // GPU 0 absent from the second point
  assert.equal(c.at(gpuKey(1, 'u'), 1), 20);
  assert.equal(c.at('tempMax', 0), 70);
  assert.equal(c.at('tempMax', 1), null);
  assert.equal(c.labels[1], null);
  assert.deepEqual(gpuIndices(c), [0, 1]);
});

test('a reply out of order is sorted, and points without a readable time are left out', () => {
  const c = columnsOf([{ ts: '2026-12-04T10:00:02Z', cpu: { utilization: 3 } }, { ts: 'garbage', cpu: { utilization: 9 } },
    { ts: '2026-12-04T10:00:01Z', cpu: { utilization: 1 } }]);
  assert.equal(c.length, 2);
  assert.deepEqual([...c.col('cpu').subarray(0, 2)], [1, 3]);
});

test('at 1 s steps every sample is a row of its own, extending the same columns; a gap stays a gap', () => {
  const h = history(1000);
  const cols = h.cols;
  h.append(snap(0, 10));
  h.append(snap(1000, 20));
  h.append({ ts: new Date(T + 2000).toISOString(), memory: { ram_used: 5 } }); // no CPU figure in this one
  h.append(snap(3000, 40));
  assert.equal(h.cols, cols);
  assert.deepEqual(values(h, 'cpu'), [10, 20, NaN, 40]);
  assert.deepEqual(values(h, 'ram'), [NaN, NaN, 5, NaN]);
});

test('live samples grow the columns by doubling, not by a copy per sample', () => {
  const h = history(1000);
  h.take(columnsOf([{ ts: new Date(T).toISOString(), cpu: { utilization: 1 } }]));
  const cap = h.cols.cap;
  let replaced = 0;
  let arr = h.cols.col('cpu');
  for (let i = 1; i <= 300; i++) {
    h.append(snap(i * 1000, i));
    if (h.cols.col('cpu') !== arr) { replaced++; arr = h.cols.col('cpu'); }
  }
  assert.equal(h.cols.length, 301);
  assert.equal(replaced, Math.ceil(Math.log2(301 / cap)));
  assert.equal(h.cols.at('cpu', h.cols.end - 1), 300);
});

test('at 60 s steps samples are averaged into their step; absent fields do not drag the mean to 0', () => {
  const h = history(60000);
  h.append(snap(1000, 10, { gpu_util_avg: 80 }));
  h.append(snap(2000, 20));
  h.append(snap(3000, 30, { gpu_util_avg: 40 }));
  h.append(snap(61000, 50));
  assert.equal(h.cols.length, 2);
  assert.deepEqual(values(h, 'cpu'), [20, 50]);
  assert.equal(h.cols.at('gpuAvg', h.cols.start), 60);
  assert.equal(h.cols.at('gpuAvg', h.cols.start + 1), null);
});

test('a GPU first seen in a later sample of the step is averaged over the samples that had it', () => {
  const h = history(60000);
  h.append(snap(1000, 10));
  h.append(snap(2000, 10, { gpus: [{ index: 3, utilization: 90 }] }));
  h.append(snap(3000, 10, { gpus: [{ index: 3, utilization: 30 }] }));
  assert.equal(h.cols.length, 1);
  assert.equal(h.cols.at(gpuKey(3, 'u'), h.cols.start), 60);
  assert.deepEqual(gpuIndices(h.cols), [3]);
});

test('a sample folded again (more of its frames arrived) is redone, not counted twice', () => {
  const h = history(60000);
  h.append(snap(1000, 10));
  h.append(snap(2000, 30));
  h.append(snap(2000, 50, { gpu_util_avg: 70 })); // the same sample, now complete
  assert.equal(h.cols.length, 1);
  assert.equal(h.rowN, 2);
  assert.deepEqual(values(h, 'cpu'), [30]);
  assert.equal(h.cols.at('gpuAvg', h.cols.start), 70);
});

test('at 1 s steps a sample that arrives again replaces its row', () => {
  const h = history(1000);
  h.append(snap(1000, 10));
  h.append(snap(2000, 30));
  h.append(snap(2000, 35, { gpu_util_avg: 70 }));
  assert.deepEqual(values(h, 'cpu'), [10, 35]);
  assert.deepEqual(values(h, 'gpuAvg'), [NaN, 70]);
});

test('an older sample than the newest is ignored', () => {
  const h = history(1000);
  h.append(snap(5000, 10));
  h.append(snap(4000, 99));
  assert.deepEqual(values(h, 'cpu'), [10]);
});

test('a live window drops rows older than its range', () => {
  const h = history(1000);
  h.minutes = 1;
  h.append({ ts: new Date(Date.now() - 120e3).toISOString(), cpu: { utilization: 1 } });
  h.append({ ts: new Date(Date.now() - 1e3).toISOString(), cpu: { utilization: 2 } });
  assert.deepEqual(values(h, 'cpu'), [2]);
});
