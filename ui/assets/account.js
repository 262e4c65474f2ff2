// The signed-in user in the top bar, sign-out, and the API-token dialog. Controls a role may not use are never shown
// (rather than disabled): the server refuses them anyway, and a greyed-out button only invites a 403.

import { api, ApiError, toLogin } from './api.js';
import { $, setText, setHtml } from './dom.js';
import { esc, ago } from './format.js';

/** Resolves to the signed-in user (`GET api/me`: name, email, role, permissions), or null when that is unknown. */
export async function initAccount() {
  let me;
  try {
    me = await api.me();
  } catch {
    return null; // a 401 has already gone to the sign-in page; anything else leaves the dashboard usable without the menu
  }
  const name = $('#user-name');
  setText(name, me.name || me.email || 'signed in');
  if (me.email && me.email !== me.name) name.title = me.email;
  setText($('#user-role'), me.role);
  $('#user-role').dataset.role = me.role;
  $('#sign-out').addEventListener('click', signOut);
  if (me.permissions?.includes('manage_tokens')) initTokens();
  $('#user').hidden = false;
  return me;
}

async function signOut() {
  const btn = $('#sign-out');
  btn.disabled = true;
  try {
    await api.logout();
    toLogin();
  } catch (e) {
    if (e.status === 401) return; // already signed out; the 401 handler is on its way to the sign-in page
    btn.disabled = false;
    alert(`Sign-out failed: ${message(e)}`);
  }
}

const message = (e) => (e instanceof ApiError ? e.message : 'the server cannot be reached.');

// ---- API tokens --------------------------------------------------------------------------------------------

function initTokens() {
  const dialog = $('#tokens-dialog');
  const open = $('#tokens-open');
  open.hidden = false;
  open.addEventListener('click', () => {
    showError(null);
    dialog.showModal();
    refresh();
  });
  $('#tokens-close').addEventListener('click', () => dialog.close());
  // A secret is shown once: it should not linger in the page after the dialog closes.
  dialog.addEventListener('close', () => {
    $('#token-secret').value = '';
    $('#token-new').hidden = true;
  });
  $('#token-form').addEventListener('submit', create);
  $('#token-copy').addEventListener('click', copySecret);
  $('#tokens-list').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-revoke]');
    if (b) revoke(b.dataset.revoke, b.dataset.name);
  });
}

async function refresh() {
  try {
    const { tokens } = await api.tokens();
    renderTokens(tokens || []);
  } catch (e) {
    showError(`Cannot list tokens: ${message(e)}`);
  }
}

function renderTokens(tokens) {
  $('#tokens-empty').hidden = tokens.length > 0;
  $('#tokens-table').hidden = tokens.length === 0;
  setHtml($('#tokens-list'), tokens.map((t) => `<tr>
    <th scope="row">${esc(t.name)}</th>
    <td><code>${esc(t.id)}</code></td>
    <td><span class="role-badge" data-role="${esc(t.role)}">${esc(t.role)}</span></td>
    <td>${when(t.created_at)}</td>
    <td>${t.last_used_at ? when(t.last_used_at, true) : '<span class="muted">never</span>'}</td>
    <td class="n"><button type="button" class="btn danger" data-revoke="${esc(t.id)}" data-name="${esc(t.name)}"
      aria-label="Revoke ${esc(t.name)}">Revoke</button></td></tr>`).join(''));
}

function when(iso, relative = false) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return esc(iso);
  const text = relative ? ago(Date.now() - d.getTime())
    : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short', hour12: false });
  return `<time datetime="${esc(iso)}" title="${esc(d.toLocaleString())}">${esc(text)}</time>`;
}

async function create(e) {
  e.preventDefault();
  showError(null);
  const btn = $('#token-create');
  const name = $('#token-name');
  btn.disabled = true;
  try {
    const t = await api.createToken(name.value.trim(), $('#token-role').value);
    name.value = '';
    setText($('#token-new-name'), t.name);
    setText($('#token-copy'), 'Copy');
    const secret = $('#token-secret');
    secret.value = t.token;
    $('#token-new').hidden = false;
    secret.focus();
    secret.select();
    refresh();
  } catch (err) {
    showError(message(err));
    if (err.body?.error?.field === 'name') name.focus();
  } finally {
    btn.disabled = false;
  }
}

async function copySecret() {
  const secret = $('#token-secret');
  const btn = $('#token-copy');
  secret.select();
  try {
    await navigator.clipboard.writeText(secret.value);
    setText(btn, 'Copied');
  } catch {
    // The Clipboard API needs a secure context; plain-http installs fall back to the selection.
    setText(btn, document.execCommand('copy') ? 'Copied' : 'Press Ctrl+C');
  }
}

async function revoke(id, name) {
  if (!confirm(`Revoke the API token “${name}” (${id})? Anything using it stops working at once.`)) return;
  showError(null);
  try {
    await api.revokeToken(id);
  } catch (e) {
    // 404: someone else revoked it already, which is what was wanted.
    if (e.status !== 404) showError(`Cannot revoke “${name}”: ${message(e)}`);
  }
  refresh();
}

function showError(text) {
  const el = $('#tokens-error');
  setText(el, text || '');
  el.hidden = !text;
}
