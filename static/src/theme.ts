/**
 * Light and dark themes. The page follows the system setting until the reader picks a theme;
 * the choice is remembered. CSS reads `data-theme` on the root element.
 */
import { readSetting, writeSetting } from './storage.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'skypulse.theme';
const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
const listeners: Array<() => void> = [];

function isChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

/** Calls `listener` whenever the resolved theme may have changed (charts redraw their colours). */
export function onThemeChange(listener: () => void): void {
  listeners.push(listener);
}

function apply(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  for (const listener of listeners) listener();
}

/** Applies the remembered choice and wires the radio buttons named `theme`. */
export function setUpTheme(): void {
  const stored = readSetting(STORAGE_KEY);
  const choice: ThemeChoice = isChoice(stored) ? stored : 'system';
  apply(choice);

  const radios = document.querySelectorAll<HTMLInputElement>('input[name="theme"]');
  for (const radio of radios) {
    radio.checked = radio.value === choice;
    radio.addEventListener('change', () => {
      if (!radio.checked || !isChoice(radio.value)) return;
      writeSetting(STORAGE_KEY, radio.value === 'system' ? null : radio.value);
      apply(radio.value);
    });
  }
  darkQuery.addEventListener('change', () => {
    if (!document.documentElement.dataset.theme) apply('system');
  });
}
