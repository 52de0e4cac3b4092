/**
 * Stale state on the crash card: "Changed by cell In [7]" and a button to go to that cell.
 *
 * The kernel names the cell whose run changed the value the crash read with the related-cell
 * role 'changed-by'. It is not a cell to run first (running it again would change the value
 * again), so it gets "Go to cell" only, never "Run cells".
 */
import { button, el } from './dom';
import { ICrashRecord, IRelatedCell } from './record';

/** A cell as Jupyter shows it: 'In [7]' when it ran, else 'cell #5' (1-based), as cell_names.py. */
export function jupyterCellName(cell: { index: number | null; executionCount?: number | null }): string {
  if (typeof cell.executionCount === 'number') {
    return `In [${cell.executionCount}]`;
  }
  if (typeof cell.index === 'number' && cell.index >= 0) {
    return `cell #${cell.index + 1}`;
  }
  return 'a cell';
}

/** The cells whose run changed what the crash read. */
export function changedByCells(record: ICrashRecord): IRelatedCell[] {
  return record.related.filter(cell => cell.role === 'changed-by' && cell.cellId);
}

/** The "Changed by cell In [7]" row, or null when the crash is not on stale state. */
export function changedByRow(
  record: ICrashRecord,
  goToCell: (cellId: string) => void
): HTMLElement | null {
  const cells = changedByCells(record);
  if (cells.length === 0) {
    return null;
  }
  const node = el('div', 'nbcrash-changed-by');
  for (const cell of cells) {
    const name = jupyterCellName(cell);
    const what = cell.names.length ? ` (${cell.names.map(n => `\`${n}\``).join(', ')})` : '';
    node.appendChild(el('span', 'nbcrash-changed-by-label', `Changed by cell ${name}${what}`));
    node.appendChild(button(`Go to cell ${name}`, 'nbcrash-goto', () => goToCell(cell.cellId)));
  }
  return node;
}
