// The fleet at a glance (docs/api.md "Fleet"): every server's summary kept by slug. `GET api/fleet` and the
// socket's first `fleet` frame are the whole fleet; later frames hold only the servers that changed and are numbered,
// so a missing number means a frame was dropped (a slow socket keeps only the newest) and the list is read again.

import { api } from './api.js';

export class Fleet {
  constructor(onChange) {
    this.onChange = onChange; // (changed: Set<slug> | null) — null when every tile may have changed
    this.bySlug = new Map();
    this.seq = null; // the number of the last document applied; null until one arrived or after a gap
    this.loaded = false;
    this.gen = 0;
    this.replay = null; // deltas seen since the oldest read still out: applied again on top of its answer
    this.error = null;
  }

  /** Re-reads the whole fleet; an older read answered after a newer one started is dropped. */
  async load() {
    const gen = ++this.gen;
    this.replay ??= [];
    let doc;
    try {
      doc = await api.fleet();
    } catch (e) {
      if (gen === this.gen) {
        this.replay = null;
        this.error = `Fleet unavailable: ${e.message}`;
        this.onChange(new Set());
      }
      throw e;
    }
    if (gen !== this.gen) return;
    const replay = this.replay;
    this.replay = null;
    this.error = null;
    this.apply(doc);
    // A delta numbered after the read's own number happened after it: the read cannot hold it.
    for (const d of replay) if (d.seq > doc.seq) this.merge(d);
  }

  /** One `fleet` frame's data, or a read's answer. */
  apply(doc) {
    if (!doc || !Array.isArray(doc.servers)) return;
    if (doc.full) {
      this.bySlug = new Map(doc.servers.map((s) => [s.slug, s]));
      this.seq = doc.seq ?? null;
      this.loaded = true;
      this.onChange(null);
      return;
    }
    if (this.seq != null && doc.seq <= this.seq) return; // already in what we hold (a read overtook it)
    this.replay?.push(doc);
    const gap = this.seq == null || doc.seq !== this.seq + 1;
    this.merge(doc);
    // What the missing frame said is lost: the newest is applied anyway (it is newer than anything held), and
    // the whole fleet is read again.
    if (gap && this.replay == null) this.load().catch(() => {});
  }

  merge(doc) {
    const changed = new Set();
    for (const s of doc.servers) {
      this.bySlug.set(s.slug, s);
      changed.add(s.slug);
    }
    if (doc.seq != null && (this.seq == null || doc.seq > this.seq)) this.seq = doc.seq;
    this.onChange(changed);
  }

  list() {
    return [...this.bySlug.values()];
  }
}
