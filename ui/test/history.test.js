// Live samples folded into the history reply's own step: a running mean per field in which an absent field does
// not count, and a sample whose frames arrive in parts counts once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, toPoint } from '../assets/history.js';

const T = Math.floor(Date.now() / 60000) * 60000 - 10 * 60000; // a step boundary 10 minutes ago
const snap = (ms, cpu, extra = {}) => ({ ts: new Date(T + ms).toISOString(), cpu: { utilization: cpu }, ...extra });

function history(stepMs) {
  const h = new History(() => {});
  h.stepMs = stepMs;
  return h;
}

test('a derived snapshot becomes a chart point with the section 4 names', () => {
  const p = toPoint({ ts: '2026-12-04T10:00:00Z', cpu: { utilization: 40, iowait: 2 }, memory: { ram_used: 1, ram_total: 4 },
    gpu_util_avg: 50, gpu_memory_used: 20, gpu_memory_total: 80, bottleneck: { label: 'gpu-bound' } });
  assert.equal(p.t, Date.parse('2026-12-04T10:00:00Z'));
  assert.equal(p.cpu, 40);
  assert.equal(p.gpuMem, 25);
  assert.equal(p.label, 'gpu-bound');
  assert.equal(p.read, undefined);
});

test('at 1 s steps every sample is its own point', () => {
  const h = history(1000);
  h.append(snap(0, 10));
  h.append(snap(1000, 20));
  assert.deepEqual(h.points.map((p) => p.cpu), [10, 20]);
});

test('at 60 s steps samples are averaged into their step; absent fields do not drag the mean to 0', () => {
  const h = history(60000);
  h.append(snap(1000, 10, { gpu_util_avg: 80 }));
  h.append(snap(2000, 20));
  h.append(snap(3000, 30, { gpu_util_avg: 40 }));
  h.append(snap(61000, 50));
  assert.equal(h.points.length, 2);
  assert.equal(h.points[0].cpu, 20);
  assert.equal(h.points[0].gpuAvg, 60);
  assert.equal(h.points[0].n, 3);
  assert.equal(h.points[1].cpu, 50);
});

test('a sample folded again (more of its frames arrived) is redone, not counted twice', () => {
  const h = history(60000);
  h.append(snap(1000, 10));
  h.append(snap(2000, 30));
  h.append(snap(2000, 50, { gpu_util_avg: 70 })); // the same sample, now complete
  assert.equal(h.points.length, 1);
  assert.equal(h.points[0].n, 2);
  assert.equal(h.points[0].cpu, 30);
  assert.equal(h.points[0].gpuAvg, 70);
});

test('an older sample than the newest is ignored', () => {
  const h = history(1000);
  h.append(snap(5000, 10));
  h.append(snap(4000, 99));
  assert.deepEqual(h.points.map((p) => p.cpu), [10]);
});
