// What the bottleneck labels and GPU codes mean, in the words an on-call engineer needs (docs/bottleneck.md).

export const LABELS = {
  'gpu-bound': { tone: 'good', text: 'GPUs are saturated: the job is limited by GPU compute, which is where a training job wants to be.' },
  'cpu-bound': { tone: 'bad', text: 'Host CPU is saturated: data loading or preprocessing may be starving the GPUs.' },
  'io-bound': { tone: 'bad', text: 'Storage is the limit: high iowait, a saturated disk or IO stalls.' },
  'memory-pressure': { tone: 'bad', text: 'Host RAM is nearly exhausted or the machine is swapping.' },
  balanced: { tone: 'info', text: 'Nothing saturated, nothing idle.' },
  idle: { tone: 'idle', text: 'Nothing much is running on this machine.' },
  underutilized: { tone: 'warn', text: 'GPUs are mostly idle and the host is not to blame: data not arriving, a batch too small, or a job holding GPUs without using them.' },
};

export const KNOWN_LABELS = [...Object.keys(LABELS), 'mixed-*'];

export function describe(label) {
  if (!label) return { tone: 'idle', text: 'Not enough samples yet to classify this machine.' };
  if (LABELS[label]) return LABELS[label];
  if (label.startsWith('mixed-')) {
    const parts = label.slice(6).split('-').map((p) => ({ cpu: 'CPU', io: 'storage', memory: 'host memory' }[p] || p));
    return { tone: 'bad', text: `Several host resources are saturated at once: ${parts.join(' + ')}.` };
  }
  return { tone: 'info', text: '' };
}

// Chart colours per label, matched to the tones above.
// Host-pressure labels share the "bad" tone but get their own hue on the timeline, to tell CPU from IO apart.
export function labelColor(label) {
  const own = { 'cpu-bound': '#f08c5d', 'io-bound': '#b48cf2', 'memory-pressure': '#f0605d' }[label];
  if (own) return own;
  if (label && label.startsWith('mixed-')) return '#e56fb0';
  const tone = describe(label).tone;
  return { good: '#3fb97a', bad: '#f0605d', warn: '#e7b44c', info: '#4c9df0', idle: '#56606e' }[tone];
}

export const THROTTLE = {
  sw_power_cap: 'SW power cap',
  hw_slowdown: 'HW slowdown',
  hw_thermal_slowdown: 'HW thermal slowdown',
  hw_power_brake_slowdown: 'HW power brake',
  sw_thermal_slowdown: 'SW thermal slowdown',
  sync_boost: 'sync boost',
  display_clock_setting: 'display clock',
  gpu_idle: 'idle clocks',
  applications_clocks_setting: 'app clocks',
};

// Reasons NVIDIA itself treats as by design; the rest cost throughput and are highlighted.
export const BENIGN_THROTTLE = new Set(['gpu_idle', 'applications_clocks_setting']);

export const XID = {
  13: 'graphics engine exception', 31: 'GPU memory page fault', 32: 'invalid push buffer stream',
  43: 'GPU stopped processing', 45: 'preemptive cleanup', 48: 'double-bit ECC error',
  61: 'internal micro-controller breakpoint', 62: 'internal micro-controller halt', 63: 'ECC page retirement / row remap',
  64: 'ECC page retirement / row remap failure', 74: 'NVLink error', 79: 'GPU has fallen off the bus',
  92: 'high single-bit ECC error rate', 94: 'contained ECC error', 95: 'uncontained ECC error',
  119: 'GSP RPC timeout', 120: 'GSP error',
};

/** "gpu-throttled:2:sw_power_cap" → readable text; unknown flags are shown as they are. */
export function flagText(flag) {
  const [kind, idx, reason] = flag.split(':');
  if (kind === 'gpu-throttled') return `GPU ${idx} throttled: ${THROTTLE[reason] || reason}`;
  if (kind === 'gpu-input-starved') return `GPU ${idx} input-starved: utilization keeps collapsing while the host is busy`;
  return flag;
}
