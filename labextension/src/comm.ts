/**
 * The `nbcrash` comm: the notebook's current cells (ids, types, sources) go to the
 * kernel when it is ready, when the notebook changes (debounced) and right before a
 * cell runs, so unsaved edits and never-run cells count in every diagnosis.
 *
 * A kernel without nbcrash loaded closes the comm at once; the next run retries,
 * since `%load_ext nbcrash` may just have run.
 */
import { NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { Kernel } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';

export const COMM_TARGET = 'nbcrash';
const DEBOUNCE_MS = 500;

/** The message the kernel reads (nbcrash_kernel/live/comm.py). */
export function cellsMessage(panel: NotebookPanel): {
  type: string;
  path: string;
  cells: { id: string; cell_type: string; source: string }[];
} {
  const cells = panel.content.widgets.map(cell => ({
    id: cell.model.id,
    cell_type: cell.model.type,
    source: cell.model.sharedModel.getSource()
  }));
  return { type: 'cells', path: panel.context.path, cells };
}

export class NotebookSync {
  constructor(private readonly panel: NotebookPanel) {
    const session = panel.sessionContext;
    void session.ready.then(() => this.send());
    session.kernelChanged.connect(() => {
      this._comm = null;
      void session.ready.then(() => this.send());
    }, this);
    session.statusChanged.connect((_, status) => {
      if (status === 'restarting' || status === 'autorestarting' || status === 'dead') {
        this._comm = null;
        this._dirty = true;
      }
    }, this);
    panel.context.model.contentChanged.connect(() => this._schedule(), this);
    NotebookActions.executionScheduled.connect((_, args) => {
      if (args.notebook === panel.content && (this._dirty || !this._comm)) {
        this.send();
      }
    }, this);
    panel.disposed.connect(() => this.dispose());
  }

  /** Send the cells now (opening the comm if there is none). */
  send(): void {
    if (this._timer !== null) {
      window.clearTimeout(this._timer);
      this._timer = null;
    }
    const kernel = this.panel.sessionContext.session?.kernel;
    if (!kernel || this.panel.isDisposed) {
      return;
    }
    const message = cellsMessage(this.panel);
    try {
      if (this._comm && this._kernel === kernel && !this._comm.isDisposed) {
        this._comm.send(message);
      } else {
        this._open(kernel, message);
      }
      this._dirty = false;
    } catch (error) {
      this._comm = null;
      console.debug('nbcrash: could not send the cells to the kernel', error);
    }
  }

  dispose(): void {
    if (this._timer !== null) {
      window.clearTimeout(this._timer);
    }
    Signal.disconnectReceiver(this);
    this._comm = null;
  }

  private _open(kernel: Kernel.IKernelConnection, message: ReturnType<typeof cellsMessage>): void {
    const comm = kernel.createComm(COMM_TARGET);
    comm.onClose = () => {
      if (this._comm === comm) {
        this._comm = null;
      }
    };
    comm.onMsg = msg => {
      const data = msg.content.data as { type?: string };
      if (data?.type === 'ack') {
        this.panel.node.dataset.nbcrashSynced = String(Date.now());
      }
    };
    this._comm = comm;
    this._kernel = kernel;
    comm.open(message);
  }

  private _schedule(): void {
    this._dirty = true;
    if (!this._comm) {
      return; // no kernel side yet: the next run opens the comm with fresh cells
    }
    if (this._timer !== null) {
      window.clearTimeout(this._timer);
    }
    this._timer = window.setTimeout(() => this.send(), DEBOUNCE_MS);
  }

  private _comm: Kernel.IComm | null = null;
  private _kernel: Kernel.IKernelConnection | null = null;
  private _dirty = true;
  private _timer: number | null = null;
}
