/**
 * Small DOM builders. Every piece of text goes in through `textContent`, never as
 * markup: crash messages and cell sources are untrusted.
 */

/** An element with classes and text (set as text, never parsed as HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  content = ''
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (content) {
    node.textContent = content;
  }
  return node;
}

const CODE_SPAN = /`([^`\n]{1,200})`/g;

/** Text with `code` spans shown as <code>, built node by node. */
export function inline(parent: HTMLElement, value: string): HTMLElement {
  let last = 0;
  for (const match of value.matchAll(CODE_SPAN)) {
    const start = match.index ?? 0;
    parent.appendChild(document.createTextNode(value.slice(last, start)));
    parent.appendChild(el('code', 'nbcrash-code', match[1]));
    last = start + match[0].length;
  }
  parent.appendChild(document.createTextNode(value.slice(last)));
  return parent;
}

/** A titled list of text items (nothing when empty). */
export function section(title: string, items: string[], className: string): HTMLElement | null {
  if (items.length === 0) {
    return null;
  }
  const node = el('div', `nbcrash-section ${className}`);
  node.appendChild(el('div', 'nbcrash-section-title', title));
  const list = el('ul', 'nbcrash-list');
  for (const item of items) {
    list.appendChild(inline(el('li'), item));
  }
  node.appendChild(list);
  return node;
}

/** A button that calls `onClick` (errors go to the console, not to the user's notebook). */
export function button(label: string, className: string, onClick: () => unknown): HTMLButtonElement {
  const node = el('button', `jp-Button nbcrash-button ${className}`, label);
  node.type = 'button';
  node.addEventListener('click', event => {
    event.preventDefault();
    event.stopPropagation();
    Promise.resolve()
      .then(onClick)
      .catch(error => console.error('nbcrash:', error));
  });
  return node;
}
