// Light or dark: the system's setting unless the user picked one (kept on
// this device). app.css does the rest with light-dark() and color-scheme.
export type Theme = 'system' | 'light' | 'dark';

const KEY = 'folio:theme';

export function storedTheme(): Theme {
  try {
    const t = localStorage.getItem(KEY);
    return t === 'light' || t === 'dark' ? t : 'system';
  } catch {
    return 'system';
  }
}

/** applyTheme sets the theme on the page (data-theme; none follows the system) and keeps the choice. */
export function applyTheme(t: Theme, keep = true) {
  const root = document.documentElement;
  if (t === 'system') delete root.dataset.theme;
  else root.dataset.theme = t;
  if (!keep) return;
  try {
    if (t === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, t);
  } catch {
    // storage disabled: the choice lasts for this page
  }
}
