/**
 * Finding cells by id across open notebooks, jumping to them and running them
 * through JupyterLab's own notebook actions (so every usual signal fires).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Cell } from '@jupyterlab/cells';
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';

import { ICardActions } from './card';

export interface ICellLocation {
  panel: NotebookPanel;
  index: number;
  cell: Cell;
}

/** The notebook cell with model id `cellId`, in the panel given or in any open notebook. */
export function findCell(
  tracker: INotebookTracker,
  cellId: string,
  panel?: NotebookPanel | null
): ICellLocation | null {
  const panels: NotebookPanel[] = panel ? [panel] : [];
  tracker.forEach(p => {
    if (p !== panel) {
      panels.push(p);
    }
  });
  for (const candidate of panels) {
    const index = candidate.content.widgets.findIndex(c => c.model.id === cellId);
    if (index >= 0) {
      return { panel: candidate, index, cell: candidate.content.widgets[index] };
    }
  }
  return null;
}

/** The cell whose output holds `node` (a rendered card), found through the DOM. */
export function cellOfNode(tracker: INotebookTracker, node: HTMLElement): ICellLocation | null {
  const cellNode = node.closest('.jp-Cell');
  if (!cellNode) {
    return null;
  }
  let found: ICellLocation | null = null;
  tracker.forEach(panel => {
    if (found) {
      return;
    }
    const index = panel.content.widgets.findIndex(c => c.node === cellNode);
    if (index >= 0) {
      found = { panel, index, cell: panel.content.widgets[index] };
    }
  });
  return found;
}

/** Show the notebook and make the cell active and visible. */
export function jumpTo(app: JupyterFrontEnd, location: ICellLocation): void {
  const { panel, index, cell } = location;
  app.shell.activateById(panel.id);
  panel.content.activeCellIndex = index;
  panel.content.deselectAll();
  void panel.content.scrollToCell(cell);
}

/** Run the cells in order, each as if the user pressed Ctrl+Enter; stop at the first failure. */
export async function runInOrder(locations: ICellLocation[]): Promise<boolean> {
  for (const { panel, cell } of locations) {
    const index = panel.content.widgets.indexOf(cell);
    if (index < 0) {
      continue;
    }
    panel.content.activeCellIndex = index;
    panel.content.deselectAll();
    const ok = await NotebookActions.run(panel.content, panel.sessionContext);
    if (!ok) {
      return false;
    }
  }
  return true;
}

/** The card buttons' actions, resolved against the open notebooks. */
export function cardActions(app: JupyterFrontEnd, tracker: INotebookTracker): ICardActions {
  return {
    goToCell(cellId: string, host: HTMLElement): void {
      const here = cellOfNode(tracker, host);
      const target = findCell(tracker, cellId, here?.panel);
      if (target) {
        jumpTo(app, target);
      }
    },
    async runCellsThenThis(cellIds: string[], host: HTMLElement, fallbackCellId: string): Promise<boolean> {
      const here =
        cellOfNode(tracker, host) ?? (fallbackCellId ? findCell(tracker, fallbackCellId) : null);
      const panel = here?.panel ?? null;
      const targets = cellIds
        .map(id => findCell(tracker, id, panel))
        .filter((loc): loc is ICellLocation => loc !== null && (!panel || loc.panel === panel));
      if (here) {
        targets.push(here);
      }
      return runInOrder(targets);
    }
  };
}
