// The fleet view's order: filters, sorts (absent figures last either way) and grouping by a label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuAvg, matcher, view } from '../assets/fleet-order.js';

const s = (slug, over = {}) => ({ slug, name: slug, status: 'online', labels: {}, gpus: [], ...over });
const FLEET = [
  s('b-02', { labels: { rack: 'r2', team: 'nlp' }, bottleneck: 'gpu-bound', gpus: [{ utilization: 90 }, { utilization: 70 }],
    last_seen_at: '2026-12-04T10:00:05Z' }),
  s('a-01', { name: 'Alpha', labels: { rack: 'r1' }, bottleneck: 'idle', gpus: [{ utilization: 5 }],
    last_seen_at: '2026-12-04T10:00:09Z' }),
  s('c-03', { status: 'offline', gpus: [{ utilization: null }], last_seen_at: '2026-12-04T09:00:00Z' }),
  s('d-04', { labels: { rack: 'r1' }, bottleneck: 'cpu-bound', gpus: [{ utilization: 40 }] }),
];
const slugs = (groups) => groups.flatMap((g) => g.servers.map((x) => x.slug));

test('the mean GPU utilization leaves absent readings out, and is absent without any', () => {
  assert.equal(gpuAvg(FLEET[0]), 80);
  assert.equal(gpuAvg(FLEET[2]), null);
  assert.equal(gpuAvg(s('x')), null);
});

test('sorts: name, busiest, idlest, last seen, label; servers without a figure go last both ways', () => {
  assert.deepEqual(slugs(view(FLEET, { sort: 'name' })), ['a-01', 'b-02', 'c-03', 'd-04']);
  assert.deepEqual(slugs(view(FLEET, { sort: 'busiest' })), ['b-02', 'd-04', 'a-01', 'c-03']);
  assert.deepEqual(slugs(view(FLEET, { sort: 'idlest' })), ['a-01', 'd-04', 'b-02', 'c-03']);
  assert.deepEqual(slugs(view(FLEET, { sort: 'seen' })), ['a-01', 'b-02', 'c-03', 'd-04']);
  assert.deepEqual(slugs(view(FLEET, { sort: 'label' })), ['d-04', 'b-02', 'a-01', 'c-03']);
  assert.deepEqual(slugs(view(FLEET, { sort: 'nonsense' })), ['a-01', 'b-02', 'c-03', 'd-04']);
});

test('filters: every word must match; key=value matches a label; status and bottleneck', () => {
  assert.deepEqual(slugs(view(FLEET, { q: 'rack=r1' })), ['a-01', 'd-04']);
  assert.deepEqual(slugs(view(FLEET, { q: 'RACK=R2 team=nlp' })), ['b-02']);
  assert.deepEqual(slugs(view(FLEET, { q: 'team=' })), ['b-02']);
  assert.deepEqual(slugs(view(FLEET, { q: 'alpha' })), ['a-01']);
  assert.deepEqual(slugs(view(FLEET, { q: '0 4' })), ['d-04']);
  assert.deepEqual(slugs(view(FLEET, { status: 'offline' })), ['c-03']);
  assert.deepEqual(slugs(view(FLEET, { bottleneck: 'gpu-bound' })), ['b-02']);
  assert.equal(matcher({ q: 'nomatch' })(FLEET[0]), false);
});

test('grouping by a label: groups in order, servers without the label last', () => {
  const groups = view(FLEET, { group: 'rack', sort: 'name' });
  assert.deepEqual(groups.map((g) => g.title), ['rack=r1', 'rack=r2', 'no rack']);
  assert.deepEqual(groups.map((g) => g.servers.map((x) => x.slug)), [['a-01', 'd-04'], ['b-02'], ['c-03']]);
});

test('1,000 servers: every one lands in exactly one group, busiest first within it', () => {
  const many = Array.from({ length: 1000 }, (_, i) => s(`n-${String(i).padStart(4, '0')}`,
    { labels: { rack: `r${i % 20}` }, gpus: Array.from({ length: 8 }, (_, g) => ({ utilization: (i * 7 + g) % 100 })) }));
  const groups = view(many, { sort: 'busiest', group: 'rack', q: 'n-0' });
  assert.equal(groups.length, 20);
  assert.equal(new Set(groups.flatMap((g) => g.servers.map((x) => x.slug))).size, 1000);
  for (const g of groups) {
    const avgs = g.servers.map(gpuAvg);
    assert.deepEqual(avgs, [...avgs].sort((a, b) => b - a));
  }
});
