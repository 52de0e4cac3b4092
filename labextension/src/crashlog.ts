/**
 * This session's diagnoses, collected from the cells that run, and the marks they
 * put on notebook cells: the crashed cell, the cells to run first, the cells that
 * failed earlier. A mark goes away once what it points at is resolved.
 */
import { Cell } from '@jupyterlab/cells';
import { INotebookTracker, Notebook, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';

import { ICrashRecord, crashInOutput, warningInOutput } from './record';

export type MarkKind = 'crashed' | 'prerequisite' | 'failed-earlier';

export const MARK_CLASS: Record<MarkKind, string> = {
  crashed: 'nbcrash-mark-crashed',
  prerequisite: 'nbcrash-mark-prerequisite',
  'failed-earlier': 'nbcrash-mark-failed-earlier'
};

export interface ICrashEntry {
  record: ICrashRecord;
  panel: NotebookPanel;
  cellId: string;
  time: Date;
}

/** marked cell id -> kind -> the crashed (or warned) cells that asked for the mark */
type MarkTable = Map<string, Map<MarkKind, Set<string>>>;

export class CrashLog {
  constructor(private readonly tracker: INotebookTracker) {
    NotebookActions.executed.connect(this._onExecuted, this);
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get entries(): readonly ICrashEntry[] {
    return this._entries.filter(e => !e.panel.isDisposed);
  }

  /** The kinds of mark a cell carries now (for tests and the panel). */
  marksOf(panel: NotebookPanel, cellId: string): MarkKind[] {
    return [...(this._table(panel).get(cellId)?.keys() ?? [])];
  }

  private _onExecuted(_: unknown, args: { notebook: Notebook; cell: Cell; success: boolean }): void {
    const panel = this._panelOf(args.notebook);
    if (!panel || args.cell.model.type !== 'code') {
      return;
    }
    const cellId = args.cell.model.id;
    this._resolve(panel, cellId);
    if (!args.success) {
      this._collect(panel, args.cell);
    }
    this._apply(panel);
    this._changed.emit();
  }

  /** The cell ran: drop the marks that pointed at it and those it had asked for. */
  private _resolve(panel: NotebookPanel, cellId: string): void {
    const table = this._table(panel);
    table.delete(cellId);
    for (const [marked, kinds] of table) {
      for (const [kind, owners] of kinds) {
        owners.delete(cellId);
        if (owners.size === 0) {
          kinds.delete(kind);
        }
      }
      if (kinds.size === 0) {
        table.delete(marked);
      }
    }
  }

  private _collect(panel: NotebookPanel, cell: Cell): void {
    const cellId = cell.model.id;
    const outputs = (cell.model as any).outputs;
    if (!outputs) {
      return;
    }
    let crashed = false;
    for (let i = 0; i < outputs.length; i++) {
      const data = outputs.get(i).data;
      const record = crashInOutput(data);
      if (record) {
        crashed = true;
        this._entries.push({ record, panel, cellId, time: new Date() });
        for (const related of record.related) {
          if (related.role === 'definer-crashed') {
            this._mark(panel, related.cellId, 'failed-earlier', cellId);
          } else if (related.role.startsWith('definer')) {
            this._mark(panel, related.cellId, 'prerequisite', cellId);
          }
        }
      }
      const warning = warningInOutput(data);
      for (const warned of warning?.cells ?? []) {
        this._mark(panel, warned.cellId, warned.state === 'failed' ? 'failed-earlier' : 'prerequisite', cellId);
      }
    }
    if (crashed) {
      this._mark(panel, cellId, 'crashed', cellId);
    }
  }

  private _mark(panel: NotebookPanel, cellId: string, kind: MarkKind, owner: string): void {
    if (!cellId || (cellId === owner && kind !== 'crashed')) {
      return;
    }
    const table = this._table(panel);
    const kinds = table.get(cellId) ?? new Map<MarkKind, Set<string>>();
    table.set(cellId, kinds);
    const owners = kinds.get(kind) ?? new Set<string>();
    kinds.set(kind, owners);
    owners.add(owner);
  }

  /** Put the table's marks on the cell widgets (and take the others off). */
  private _apply(panel: NotebookPanel): void {
    const table = this._table(panel);
    for (const cell of panel.content.widgets) {
      const kinds = table.get(cell.model.id);
      for (const kind of Object.keys(MARK_CLASS) as MarkKind[]) {
        cell.toggleClass(MARK_CLASS[kind], !!kinds?.has(kind));
      }
    }
  }

  private _table(panel: NotebookPanel): MarkTable {
    let table = this._marks.get(panel);
    if (!table) {
      table = new Map();
      this._marks.set(panel, table);
    }
    return table;
  }

  private _panelOf(notebook: Notebook): NotebookPanel | null {
    return this.tracker.find(panel => panel.content === notebook) ?? null;
  }

  private _entries: ICrashEntry[] = [];
  private _marks = new WeakMap<NotebookPanel, MarkTable>();
  private _changed = new Signal<this, void>(this);
}
