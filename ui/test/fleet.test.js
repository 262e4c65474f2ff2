// The fleet summary kept by slug: a full document replaces it, numbered deltas merge, and a missing number means a
// frame was lost, so the whole fleet is read again (GET api/fleet, stubbed here with the document a server sends).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fleet } from '../assets/fleet.js';

const srv = (slug, cpu) => ({ slug, cpu_utilization: cpu });

test('a full document replaces the fleet, then deltas merge in order', () => {
  const changes = [];
  const f = new Fleet((c) => changes.push(c && [...c]));
  f.apply({ full: true, seq: 1, servers: [srv('a', 1), srv('b', 2)] });
  f.apply({ seq: 2, servers: [srv('b', 20)] });
  assert.deepEqual(f.list(), [srv('a', 1), srv('b', 20)]);
  assert.deepEqual(changes, [null, ['b']]);
  f.apply({ seq: 2, servers: [srv('b', 99)] }); // already applied
  assert.equal(f.bySlug.get('b').cpu_utilization, 20);
});

test('a gap in the numbers applies the newest and reads the whole fleet again', async () => {
  let reads = 0;
  globalThis.fetch = async (path) => {
    reads++;
    assert.equal(path, 'api/fleet');
    return new Response(JSON.stringify({ full: true, seq: 5, servers: [srv('a', 50), srv('b', 51), srv('c', 52)] }),
      { status: 200 });
  };
  try {
    const f = new Fleet(() => {});
    f.apply({ full: true, seq: 1, servers: [srv('a', 1)] });
    f.apply({ seq: 4, servers: [srv('a', 4)] }); // 2 and 3 were lost
    assert.equal(f.bySlug.get('a').cpu_utilization, 4);
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(reads, 1);
    assert.deepEqual(f.list().map((s) => s.slug), ['a', 'b', 'c']);
    assert.equal(f.seq, 5);
  } finally {
    delete globalThis.fetch;
  }
});

test('a delta that overtakes a read in flight is applied again on top of its answer', async () => {
  let answer;
  globalThis.fetch = () => new Promise((r) => { answer = r; });
  try {
    const f = new Fleet(() => {});
    const read = f.load();
    f.apply({ full: true, seq: 1, servers: [srv('a', 1)] });
    f.apply({ seq: 2, servers: [srv('a', 2)] });
    answer(new Response(JSON.stringify({ full: true, seq: 1, servers: [srv('a', 1), srv('b', 1)] }), { status: 200 }));
    await read;
    assert.equal(f.bySlug.get('a').cpu_utilization, 2);
    assert.equal(f.bySlug.get('b').cpu_utilization, 1);
  } finally {
    delete globalThis.fetch;
  }
});
