// The alerts of the whole fleet, kept by id: the `GET api/alerts` list is the base and each `alerts` frame replaces
// the alert with its id. A frame can overtake a list read in flight (the read may have been answered before the
// change), so frames seen while a read is out are applied again on top of its answer.

import { api } from './api.js';

export const SEVERITIES = ['critical', 'warning', 'info'];
const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 };
const STATE_RANK = { firing: 0, pending: 1, resolved: 2 };
// The list API's default window; older resolved alerts are dropped here too, so a long-open page does not grow.
const RESOLVED_KEEP_MS = 24 * 3600 * 1000;

export const severityRank = (s) => SEVERITY_RANK[s] ?? 3;
const stateRank = (s) => STATE_RANK[s] ?? 3;
const ms = (iso) => (iso ? Date.parse(iso) || 0 : 0);

/** XID alerts (`resolve: "ack"`) stay firing until someone acknowledges them; acknowledging resolves them. */
export const needsAck = (a) => a.resolve === 'ack';

export class Alerts {
  constructor(onChange) {
    this.onChange = onChange;
    this.byId = new Map();
    this.loaded = false;
    this.gen = 0;
    this.replay = null; // alerts seen since the oldest read still out, or null when none is out
    this.acking = new Set(); // ids whose acknowledgement is in flight
    this.canAck = null; // null until the signed-in user's permissions are known
    this.refused = null; // the server's message once it refused an acknowledgement (403)
    this.error = null;
    this.done = null; // what the last acknowledgement did, said once (the row may move out of sight)
  }

  /** Re-reads the list; an older read answered after a newer one started is dropped. */
  async load() {
    const gen = ++this.gen;
    this.replay ??= [];
    let body;
    try {
      body = await api.alerts();
    } catch (e) {
      if (gen === this.gen) {
        this.replay = null;
        this.error = `Alerts unavailable: ${e.message}`;
        this.onChange();
      }
      throw e;
    }
    if (gen !== this.gen) return;
    this.byId = new Map((body?.alerts || []).map((a) => [String(a.id), a]));
    for (const a of this.replay) this.byId.set(String(a.id), a);
    this.replay = null;
    this.loaded = true;
    this.error = null;
    this.onChange();
  }

  /** One alert as a frame or an acknowledgement returned it: the newest word on that id. */
  put(a) {
    if (a?.id == null) return;
    this.byId.set(String(a.id), a);
    this.replay?.push(a);
    this.onChange();
  }

  async acknowledge(id) {
    if (this.acking.has(id)) return;
    this.acking.add(id);
    this.error = null;
    this.done = null;
    this.onChange();
    try {
      const a = await api.ackAlert(id);
      const where = [a.server, a.gpu_index != null ? `GPU ${a.gpu_index}` : null].filter(Boolean).join(' · ');
      this.done = `Acknowledged ${a.rule} on ${where}${a.state === 'resolved' ? ', which resolves it' : ''}.`;
      this.put(a);
    } catch (e) {
      if (e.status === 403) {
        this.refused = e.message && !e.message.startsWith('HTTP') ? e.message : 'Your role may not acknowledge alerts.';
      } else if (e.status === 404) {
        // Gone from the server (pruned, or never there): the list is stale, so read it again.
        this.error = 'That alert no longer exists; the list was reloaded.';
        this.load().catch(() => {});
      } else {
        this.error = `Acknowledging failed: ${e.status ? e.message : 'the server cannot be reached.'}`;
      }
    } finally {
      this.acking.delete(id);
      this.onChange();
    }
  }

  // ---- views ---------------------------------------------------------------------------------------------------

  /** Every alert worth showing, firing first (critical before warning before info), then pending, then resolved. */
  sorted(now = Date.now()) {
    const keep = [];
    for (const [id, a] of this.byId) {
      if (a.state === 'resolved' && now - ms(a.resolved_at || a.started_at) > RESOLVED_KEEP_MS) this.byId.delete(id);
      else keep.push(a);
    }
    const when = (a) => (a.state === 'resolved' ? ms(a.resolved_at) : ms(a.fired_at || a.started_at));
    return keep.sort((a, b) => stateRank(a.state) - stateRank(b.state)
      || (a.state === 'resolved' ? 0 : severityRank(a.severity) - severityRank(b.severity))
      || when(b) - when(a) || String(a.id).localeCompare(String(b.id)));
  }

  firing() {
    return [...this.byId.values()].filter((a) => a.state === 'firing');
  }

  /** slug → {count, worst}: the firing alerts of each server, for the server badges. */
  byServer() {
    const out = new Map();
    for (const a of this.firing()) {
      const s = out.get(a.server) || { count: 0, worst: null };
      s.count++;
      if (!s.worst || severityRank(a.severity) < severityRank(s.worst)) s.worst = a.severity;
      out.set(a.server, s);
    }
    return out;
  }

  /** GPU index → the alerts that mark that GPU's card: firing, or an XID nobody has acknowledged yet. */
  gpuMarks(server) {
    const out = new Map();
    for (const a of this.byId.values()) {
      if (a.server !== server || a.gpu_index == null) continue;
      const open = a.state === 'firing' || (needsAck(a) && a.state !== 'resolved' && !a.acknowledged_by);
      if (!open) continue;
      const idx = Number(a.gpu_index);
      out.set(idx, [...(out.get(idx) || []), a].sort((x, y) => severityRank(x.severity) - severityRank(y.severity)));
    }
    return out;
  }
}
