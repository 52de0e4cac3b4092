/**
 * The crash card and the pre-run warning as DOM: verdict, category badges,
 * evidence, fixes, and the "Go to cell" / "Run cells" buttons.
 */
import { changedByRow } from './changedby';
import { button, el, inline, section } from './dom';
import {
  ICrashRecord,
  IWarning,
  cellLabel,
  evidenceShown,
  explanationShown,
  prerequisites
} from './record';

/** What the card's buttons do; `host` is the card's DOM node (to find its cell). */
export interface ICardActions {
  goToCell(cellId: string, host: HTMLElement): void;
  runCellsThenThis(cellIds: string[], host: HTMLElement, fallbackCellId: string): Promise<boolean>;
}

/** The label of the "Run cells" button: 'Run cell #5 and In [3], then this one'. */
export function runLabel(labels: string[]): string {
  const listed =
    labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
  return `Run ${listed}, then this one`;
}

function badges(record: ICrashRecord): HTMLElement {
  const node = el('div', 'nbcrash-badges');
  for (const category of record.categories) {
    if (!category.code) {
      continue;
    }
    // Words on the badge, the taxonomy code in its tooltip.
    const badge = el('span', 'nbcrash-badge', category.words);
    badge.dataset.category = category.label;
    badge.dataset.code = category.code;
    badge.title = `${category.label}: ${category.code}`;
    node.appendChild(badge);
  }
  return node;
}

function buttons(
  cells: { cellId: string; index: number | null }[],
  actions: ICardActions,
  host: HTMLElement,
  fallbackCellId: string
): HTMLElement | null {
  if (cells.length === 0) {
    return null;
  }
  const node = el('div', 'nbcrash-actions');
  for (const cell of cells) {
    node.appendChild(
      button(`Go to ${cellLabel(cell)}`, 'nbcrash-goto', () =>
        actions.goToCell(cell.cellId, host)
      )
    );
  }
  const labels = cells.map(c => cellLabel(c));
  node.appendChild(
    button(runLabel(labels), 'nbcrash-run', () =>
      actions.runCellsThenThis(
        cells.map(c => c.cellId),
        host,
        fallbackCellId
      )
    )
  );
  return node;
}

/** A collapsed "Why": the rule behind each category, when the record has a trace. */
function why(record: ICrashRecord): HTMLElement | null {
  if (record.trace.length === 0) {
    return null;
  }
  const details = el('details', 'nbcrash-why');
  details.appendChild(el('summary', '', 'Why'));
  const list = el('ul');
  for (const step of record.trace) {
    const item = el('li');
    item.appendChild(el('b', '', step.label));
    item.appendChild(document.createTextNode(': '));
    inline(item, step.why);
    if (step.rule) {
      item.appendChild(document.createTextNode(' '));
      item.appendChild(el('code', '', step.rule));
    }
    list.appendChild(item);
  }
  details.appendChild(list);
  return details;
}

/** The crash card for one diagnosis record. */
export function crashCard(record: ICrashRecord, actions: ICardActions, host: HTMLElement): HTMLElement {
  const card = el('div', 'nbcrash-card');
  card.dataset.rootCause = record.rootCause;
  const headline = record.evalue ? `${record.ename}: ${record.evalue}` : record.ename;
  const title = el('div', 'nbcrash-title');
  title.appendChild(el('span', 'nbcrash-logo', 'nbcrash ▸ '));
  title.appendChild(el('span', 'nbcrash-headline', headline));
  card.appendChild(title);
  if (record.summary) {
    card.appendChild(inline(el('div', 'nbcrash-verdict'), record.summary));
  }
  card.appendChild(badges(record));
  const explanation = explanationShown(record);
  if (explanation) {
    card.appendChild(inline(el('div', 'nbcrash-explanation'), explanation));
  }
  for (const part of [
    section('Evidence', evidenceShown(record), 'nbcrash-evidence'),
    section('How to fix', record.suggestions, 'nbcrash-fixes'),
    why(record)
  ]) {
    if (part) {
      card.appendChild(part);
    }
  }
  const changed = changedByRow(record, cellId => actions.goToCell(cellId, host));
  if (changed) {
    card.appendChild(changed);
  }
  const actionRow = buttons(prerequisites(record), actions, host, record.cellId);
  if (actionRow) {
    card.appendChild(actionRow);
  }
  return card;
}

/** The pre-run warning: its message and the same buttons for the cells to run first. */
export function warningCard(warning: IWarning, actions: ICardActions, host: HTMLElement): HTMLElement {
  const card = el('div', 'nbcrash-warning');
  card.dataset.kind = warning.kind;
  const title = el('div', 'nbcrash-title');
  title.appendChild(el('span', 'nbcrash-logo', 'nbcrash ⚠ '));
  inline(title, warning.message || 'this cell reads names that no cell that ran has defined');
  card.appendChild(title);
  const cells = warning.cells.filter(c => c.cellId);
  const actionRow = buttons(cells, actions, host, '');
  if (actionRow) {
    card.appendChild(actionRow);
  }
  return card;
}
