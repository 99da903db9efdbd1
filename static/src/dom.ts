/**
 * Small DOM helpers. Every string reaches the page through `textContent` or a named attribute,
 * never through HTML parsing, so text that strangers post cannot become markup.
 */

import { NO_DATA } from './format.ts';

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  className?: string;
  text?: string;
  /** Attributes set with `setAttribute`; `style` and `on*` are rejected (CSP forbids them). */
  attrs?: Record<string, string>;
}

/** Creates an element with text content, attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'style' || lower.startsWith('on')) {
      throw new Error(`Attribute ${name} is not allowed; set element.style or add a listener instead.`);
    }
    element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** Returns the element with `id`, checking its type; throws when the page lacks it. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) {
    throw new Error(`Element #${id} is missing from index.html or is not a ${type.name}.`);
  }
  return element;
}

/** Replaces the text of `element` only when it changed, so screen readers and layout stay calm. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** Shows a figure; a value of "no data" gets a quieter style so it does not read as a number. */
export function setValue(element: Element, text: string): void {
  setText(element, text);
  element.classList.toggle('is-empty', text === NO_DATA);
}
