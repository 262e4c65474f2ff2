// Light or dark: the system's preference until the toggle chooses one; the choice is kept in this browser. The
// stylesheet does the rest (data-theme on <html> overrides prefers-color-scheme), so this module only records.

const KEY = 'trainwatch.theme';
export const THEMES = ['system', 'light', 'dark'];
const LABEL = { system: '◐ auto', light: '☀ light', dark: '☾ dark' };

function stored() {
  try {
    const t = localStorage.getItem(KEY);
    return THEMES.includes(t) ? t : 'system';
  } catch {
    return 'system'; // storage disabled: follow the system
  }
}

function apply(theme) {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** The theme after `theme` in the toggle's cycle. */
export const nextTheme = (theme) => THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];

/**
 * Wires the toggle button; `redraw` runs whenever the colours change (the charts read them when they draw), by the
 * toggle or by the system switching between light and dark.
 */
export function initThemeToggle(button, redraw) {
  let theme = stored();
  const show = () => {
    button.textContent = LABEL[theme];
    button.title = `Colour theme: ${theme === 'system' ? 'as the system' : theme} (click to change)`;
  };
  show();
  button.addEventListener('click', () => {
    theme = nextTheme(theme);
    try { localStorage.setItem(KEY, theme); } catch { /* kept for this page only */ }
    apply(theme);
    show();
    redraw();
  });
  matchMedia('(prefers-color-scheme: light)').addEventListener('change', () => { if (theme === 'system') redraw(); });
}

apply(stored());
