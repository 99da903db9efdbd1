/**
 * Settings remembered in localStorage. Storage can be disabled (private browsing, site policy);
 * settings then last for the open page only, which is why every access is guarded.
 */

export function readSetting(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeSetting(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // See the file comment: the setting stays in effect until the page closes.
  }
}
