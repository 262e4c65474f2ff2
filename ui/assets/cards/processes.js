// Who is on which GPU: the question asked first when a GPU is busy but no job of yours is running.

import { esc, bytes, DASH } from '../format.js';
import { setHtml } from '../dom.js';

export function renderProcesses(root, procs, gpuCount) {
  const rows = [...(procs || [])].sort((a, b) => (a.gpu_index ?? 0) - (b.gpu_index ?? 0) || (b.used_memory_bytes ?? 0) - (a.used_memory_bytes ?? 0));
  setHtml(root.querySelector('.card-body'), rows.length ? `<table class="grid procs">
    <thead><tr><th scope="col" class="n">GPU</th><th scope="col" class="n">PID</th><th scope="col">user</th><th scope="col" class="n">GPU memory</th><th scope="col">command</th><th scope="col">container</th></tr></thead>
    <tbody>${rows.map((p) => `<tr><td class="n">${esc(p.gpu_index ?? DASH)}</td><td class="n">${esc(p.pid ?? DASH)}</td><td>${esc(p.user ?? DASH)}</td>
      <td class="n">${esc(bytes(p.used_memory_bytes))}</td><td class="cmd" title="${esc(p.command)}">${esc(p.command ?? DASH)}</td><td>${esc(p.container ?? DASH)}</td></tr>`).join('')}</tbody>
  </table>` : `<p class="empty">${gpuCount ? 'No processes on the GPUs.' : 'No GPU processes (no GPUs reported).'}</p>`);
  const count = root.querySelector('.count');
  if (count) count.textContent = rows.length ? String(rows.length) : '';
}
