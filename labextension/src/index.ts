/**
 * nbcrash for JupyterLab 4 and Notebook 7: the rich crash card, cell marks, the
 * "Crashes" panel, the notebook/kernel comm and the audit command.
 */
import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, ToolbarButton } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';

import { AuditReport, fetchAudit } from './audit';
import { cardActions, findCell, jumpTo } from './cells';
import { NotebookSync } from './comm';
import { CrashLog } from './crashlog';
import { CrashesPanel } from './panel';
import { cardRendererFactory } from './renderer';

export const COMMANDS = {
  audit: 'nbcrash:audit-notebook',
  crashes: 'nbcrash:show-crashes'
};

function addAuditCommand(app: JupyterFrontEnd, tracker: INotebookTracker, labShell: ILabShell | null): void {
  app.commands.addCommand(COMMANDS.audit, {
    label: 'nbcrash: Audit this notebook',
    caption: 'Diagnose every crash saved in this notebook (nbcrash audit)',
    isEnabled: () => tracker.currentWidget !== null,
    execute: async () => {
      const panel = tracker.currentWidget;
      if (!panel) {
        return;
      }
      const path = panel.context.path;
      const report = new AuditReport(path, panel.context.model.dirty);
      if (labShell) {
        const widget = new MainAreaWidget({ content: report });
        widget.id = `${report.id}-area`;
        widget.title.label = report.title.label;
        widget.title.closable = true;
        app.shell.add(widget, 'main', { mode: 'split-right', ref: panel.id });
      } else {
        app.shell.add(report, 'right', { rank: 1000 });
      }
      app.shell.activateById(labShell ? `${report.id}-area` : report.id);
      try {
        report.showReport(await fetchAudit(path));
      } catch (error) {
        report.showReport(error instanceof Error ? error : new Error(String(error)));
      }
    }
  });
}

function addToolbarButton(app: JupyterFrontEnd): void {
  app.docRegistry.addWidgetExtension('Notebook', {
    createNew: (panel: NotebookPanel) => {
      const button = new ToolbarButton({
        className: 'nbcrash-audit-button',
        label: 'Audit',
        tooltip: 'nbcrash: Audit this notebook',
        onClick: () => {
          app.shell.activateById(panel.id);
          void app.commands.execute(COMMANDS.audit);
        }
      });
      panel.toolbar.insertItem(10, 'nbcrashAudit', button);
      return button;
    }
  });
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'nbcrash:plugin',
  description: 'nbcrash: crash cards, cell marks, the Crashes panel and the notebook audit.',
  autoStart: true,
  requires: [INotebookTracker, IRenderMimeRegistry],
  optional: [ICommandPalette, ILabShell],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    rendermime: IRenderMimeRegistry,
    palette: ICommandPalette | null,
    labShell: ILabShell | null
  ) => {
    rendermime.addFactory(cardRendererFactory(cardActions(app, tracker)), 0);

    const log = new CrashLog(tracker);
    const crashes = new CrashesPanel(log, entry => {
      const target = findCell(tracker, entry.cellId, entry.panel);
      if (target) {
        jumpTo(app, target);
      }
    });
    app.shell.add(crashes, 'right', { rank: 900 });
    app.commands.addCommand(COMMANDS.crashes, {
      label: 'nbcrash: Show crashes',
      execute: () => app.shell.activateById(crashes.id)
    });

    addAuditCommand(app, tracker, labShell);
    addToolbarButton(app);
    tracker.widgetAdded.connect((_, panel) => {
      new NotebookSync(panel);
    });

    if (palette) {
      palette.addItem({ command: COMMANDS.audit, category: 'nbcrash' });
      palette.addItem({ command: COMMANDS.crashes, category: 'nbcrash' });
    }
  }
};

export default plugin;
