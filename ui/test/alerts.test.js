// The alerts list: firing before pending before resolved, by severity, newest first; per-server badges; GPU marks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Alerts, severityRank } from '../assets/alerts.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const at = (min) => new Date(NOW - min * 60000).toISOString();
const A = [
  { id: 1, rule: 'gpu_hot', severity: 'warning', state: 'firing', server: 'a', gpu_index: 0, fired_at: at(5) },
  { id: 2, rule: 'xid', severity: 'critical', state: 'firing', server: 'a', gpu_index: 1, resolve: 'ack', fired_at: at(9) },
  { id: 3, rule: 'disk', severity: 'info', state: 'pending', server: 'b', started_at: at(1) },
  { id: 4, rule: 'gpu_hot', severity: 'warning', state: 'resolved', server: 'b', started_at: at(60), resolved_at: at(30) },
  { id: 5, rule: 'old', severity: 'critical', state: 'resolved', server: 'b', started_at: at(3000), resolved_at: at(2000) },
  { id: 6, rule: 'cpu', severity: 'critical', state: 'firing', server: 'b', fired_at: at(2) },
];

function alerts() {
  const a = new Alerts(() => {});
  for (const x of A) a.put(x);
  return a;
}

test('order: firing by severity, then pending, then resolved; resolved over a day ago dropped', () => {
  assert.deepEqual(alerts().sorted(NOW).map((a) => a.id), [6, 2, 1, 3, 4]);
});

test('per-server badges count firing alerts and show the worst severity', () => {
  const by = alerts().byServer();
  assert.deepEqual(by.get('a'), { count: 2, worst: 'critical' });
  assert.deepEqual(by.get('b'), { count: 1, worst: 'critical' });
  assert.equal(severityRank('bogus'), 3);
});

test('a frame replaces the alert with its id; GPU marks follow', () => {
  const a = alerts();
  assert.deepEqual([...a.gpuMarks('a').keys()].sort(), [0, 1]);
  a.put({ ...A[0], state: 'resolved', resolved_at: at(0) });
  a.put({ ...A[1], acknowledged_by: 'ops', state: 'resolved', resolved_at: at(0) });
  assert.equal(a.gpuMarks('a').size, 0);
  assert.equal(a.firing().length, 1);
});
