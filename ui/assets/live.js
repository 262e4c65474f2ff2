// The live feed of CONTRACT §3: one WebSocket, one subscribed server at a time for metrics, plus the alerts of every
// server (alerts on another server matter as much as those on the one shown). When the socket drops, the feed
// polls the latest snapshot over HTTP so the page never freezes, and reconnects with capped, jittered backoff
// (so a restarting gateway is not hit by every open dashboard at the same instant). The fleet view follows no
// server's metrics: it subscribes to the `fleet` summary of every server instead.

import { toLogin } from './api.js';

export const CHANNELS = ['system/cpu', 'system/memory', 'system/disk', 'system/network',
  'system/bottleneck', 'system/processes', 'system/gpu/*'];

const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30000;
export const POLL_MS = 5000;

// Alerts follow the whole fleet: one subscription for all servers, left alone when the shown server changes. The
// fleet view adds the fleet summary to the same "*" subscription.
const ALERTS_SUB = { op: 'subscribe', server: '*', channels: ['alerts'] };
const FLEET_SUB = { op: 'subscribe', server: '*', channels: ['alerts', 'fleet'] };

export class LiveFeed {
  /**
   * @param {object} h handlers: onFrame(frame), onUnstored(frame) (a sample shown live was then not stored),
   *   onAlert(frame), onFleet(frame) (only on the fleet view, which it
   *   subscribes to the fleet channel), onOpen() (subscribed: re-read what frames may have been missed),
   *   onStatus(status), poll() -> Promise (HTTP fallback)
   */
  constructor(h) {
    this.h = h;
    this.server = null;
    this.ws = null;
    this.attempt = 0;
    this.reconnectTimer = null;
    this.pollTimer = null;
    this.status = 'connecting';
  }

  start(server) {
    this.server = server;
    this.connect();
  }

  /** Moves the subscription to another server over the same socket. */
  switchTo(server) {
    const old = this.server;
    this.server = server;
    if (this.isOpen()) {
      if (old) this.send({ op: 'unsubscribe', server: old, channels: CHANNELS });
      this.send({ op: 'subscribe', server, channels: CHANNELS });
    } else if (this.pollTimer) {
      this.pollNow();
    }
  }

  isOpen() {
    return this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  send(msg) {
    if (this.isOpen()) this.ws.send(JSON.stringify(msg));
  }

  connect() {
    clearTimeout(this.reconnectTimer);
    const url = new URL('ws', document.baseURI);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      this.dropped();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.stopPolling();
      this.setStatus('live');
      if (this.server) this.send({ op: 'subscribe', server: this.server, channels: CHANNELS });
      this.send(this.h.onFleet ? FLEET_SUB : ALERTS_SUB);
      // Alert changes made while the socket was down are never replayed as frames, so the list is read again.
      this.h.onOpen?.();
    };
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch { return; }
      if (m.event === 'metrics' && m.server === this.server) this.h.onFrame(m);
      else if (m.event === 'unstored' && m.server === this.server) this.h.onUnstored?.(m);
      else if (m.channel === 'alerts' && m.data?.id != null) this.h.onAlert?.(m);
      else if (m.channel === 'fleet' && m.data) this.h.onFleet?.(m);
      else if (m.event === 'error') console.warn('live feed refused a message:', m.error);
    };
    // onerror is always followed by onclose, which is where recovery happens.
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      // 1008: the server ended this session (signed out elsewhere, expired, revoked); reconnecting cannot help.
      if (ev.code === 1008) this.signedOut();
      else this.dropped();
    };
  }

  dropped() {
    this.ws = null;
    this.setStatus('reconnecting');
    this.startPolling();
    const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempt++);
    const delay = cap / 2 + Math.random() * cap / 2;
    this.nextAttemptAt = Date.now() + delay;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  signedOut() {
    this.ws = null;
    this.stopPolling();
    this.setStatus('offline');
    toLogin();
  }

  startPolling() {
    if (this.pollTimer) return;
    this.pollNow();
    this.pollTimer = setInterval(() => this.pollNow(), POLL_MS);
  }

  pollNow() {
    this.h.poll().then(() => {
      if (!this.isOpen()) this.setStatus('polling');
    }, () => {
      if (!this.isOpen()) this.setStatus('offline');
    });
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  setStatus(s) {
    this.status = s;
    this.h.onStatus(s);
  }
}
