// The chart columns: absent values are NaN (never 0), rows grow by doubling or by reclaiming dropped rows, never by
// a copy per row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Columns } from '../assets/columns.js';

test('a new row is absent in every field; a field first seen late is absent before it', () => {
  const c = new Columns(4);
  const a = c.push(1000);
  c.ensure('cpu')[a] = 10;
  const b = c.push(2000);
  c.ensure('gpu')[b] = 50;
  assert.equal(c.length, 2);
  assert.ok(Number.isNaN(c.col('cpu')[b]));
  assert.ok(Number.isNaN(c.col('gpu')[a]));
  assert.equal(c.at('cpu', a), 10);
  assert.equal(c.at('cpu', b), null); // absent reads null, not 0
  assert.equal(c.at('nope', a), null);
  assert.equal(c.labels[b], null);
  assert.ok(c.any('gpu'));
  assert.ok(!c.any('nope'));
});

test('rows grow by doubling: the arrays are replaced only when full, and keep their values', () => {
  const c = new Columns(4);
  const cpu0 = c.ensure('cpu');
  let replaced = 0;
  let arr = cpu0;
  for (let i = 0; i < 100; i++) {
    const r = c.push(i * 1000);
    if (c.col('cpu') !== arr) { replaced++; arr = c.col('cpu'); }
    if (i % 3) c.col('cpu')[r] = i;
  }
  assert.equal(c.length, 100);
  assert.equal(c.cap, 128);
  assert.equal(replaced, 5); // 4 → 8 → 16 → 32 → 64 → 128
  for (let i = 0; i < 100; i++) assert.equal(c.at('cpu', c.start + i), i % 3 ? i : null);
  assert.ok(Number.isNaN(c.col('cpu')[100])); // past the end: absent
});

test('rows dropped from the front are reclaimed before the arrays grow', () => {
  const c = new Columns(8);
  for (let i = 0; i < 8; i++) c.ensure('v')[c.push(i)] = i;
  c.dropBefore(5);
  assert.equal(c.start, 5);
  assert.equal(c.length, 3);
  const r = c.push(8);
  c.col('v')[r] = 8;
  assert.equal(c.cap, 8); // reclaimed, not doubled
  assert.equal(c.start, 0);
  assert.deepEqual([...c.t.subarray(c.start, c.end)], [5, 6, 7, 8]);
  assert.deepEqual([...c.col('v').subarray(c.start, c.end)], [5, 6, 7, 8]);
  assert.ok(c.col('v').subarray(c.end).every(Number.isNaN));
});

test('pop clears the newest row; save and restore put a row back as it was', () => {
  const c = new Columns();
  c.ensure('v')[c.push(1)] = 1;
  const i = c.push(2);
  c.col('v')[i] = 2;
  c.labels[i] = 'idle';
  const saved = c.save(i);
  c.col('v')[i] = 99;
  c.ensure('w')[i] = 5;
  c.labels[i] = 'gpu-bound';
  c.restore(i, saved);
  assert.equal(c.at('v', i), 2);
  assert.equal(c.at('w', i), null); // a field made after the save is absent again
  assert.equal(c.labels[i], 'idle');
  c.pop();
  assert.equal(c.length, 1);
  assert.ok(Number.isNaN(c.col('v')[i]));
  assert.equal(c.labels[i], null);
});

test('lowerBound and nearest look only at the rows kept', () => {
  const c = new Columns();
  for (const t of [0, 10, 20, 30, 40]) c.push(t);
  c.dropBefore(15);
  assert.equal(c.lowerBound(0), 2);
  assert.equal(c.lowerBound(25), 3);
  assert.equal(c.lowerBound(99), 5);
  assert.equal(c.nearest(0), 2);
  assert.equal(c.nearest(24), 2);
  assert.equal(c.nearest(26), 3);
  assert.equal(c.nearest(99), 4);
  assert.equal(new Columns().nearest(5), -1);
});
