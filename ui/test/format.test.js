// The formatters: absent is "—", never 0; binary units for capacities, decimal for throughput; escaping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DASH, has, pct, bytes, rate, num, temp, iops, ratio, ago, esc, level } from '../assets/format.js';

test('absent values read as a dash, never as 0', () => {
  for (const f of [pct, bytes, rate, temp, iops, ago]) {
    assert.equal(f(null), DASH);
    assert.equal(f(undefined), DASH);
    assert.equal(f(NaN), DASH);
  }
  assert.equal(level(null), 'na');
  assert.equal(ratio(5, 0), null);
  assert.equal(ratio(null, 10), null);
  assert.equal(has(0), true);
  assert.equal(pct(0), '0 %');
});

test('capacities in binary units, throughput in decimal units', () => {
  assert.equal(bytes(512), '512 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(80 * 2 ** 30), '80.0 GiB');
  assert.equal(bytes(300 * 2 ** 20), '300 MiB');
  assert.equal(rate(999), '999 B/s');
  assert.equal(rate(1_500_000), '1.5 MB/s');
  assert.equal(rate(250_000_000), '250 MB/s');
  assert.equal(num(700.4, 0, 'W'), '700 W');
  assert.equal(temp(61.6), '62 °C');
  assert.equal(iops(950), '950');
  assert.equal(iops(1250), '1.3k');
  assert.equal(iops(25_000), '25k');
  assert.equal(pct(12.345, 1), '12.3 %');
  assert.equal(ratio(25, 200), 12.5);
});

test('ages round to the unit that reads best', () => {
  assert.equal(ago(4_400), '4 s ago');
  assert.equal(ago(-50), '0 s ago');
  assert.equal(ago(90_000), '2 min ago');
  assert.equal(ago(2 * 3600e3), '2 h ago');
  assert.equal(ago(3 * 86400e3), '3 d ago');
});

test('agent strings are escaped before they reach innerHTML', () => {
  assert.equal(esc('<img src=x onerror="a(\'b\')">&'), '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  assert.equal(esc(null), '');
});

test('severity levels at their thresholds', () => {
  assert.equal(level(74.9), 'ok');
  assert.equal(level(75), 'warn');
  assert.equal(level(90), 'crit');
  assert.equal(level(50, 40, 60), 'warn');
});
