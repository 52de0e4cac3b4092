/** "nbcrash: Audit this notebook": the server extension's report, shown in a panel. */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { Widget } from '@lumino/widgets';

import { el, inline, section } from './dom';
import { readCrash, text } from './record';

export const AUDIT_ROUTE = 'nbcrash/api/audit';

/** The audit JSON of the notebook at `path` (contents path); throws with the server's message. */
export async function fetchAudit(path: string): Promise<Record<string, unknown>> {
  const settings = ServerConnection.makeSettings();
  const url =
    URLExt.join(settings.baseUrl, AUDIT_ROUTE) + URLExt.objectToQueryString({ path });
  const response = await ServerConnection.makeRequest(url, { method: 'GET' }, settings);
  let body: Record<string, unknown> = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  if (!response.ok) {
    throw new Error(text(body.error ?? body.message ?? response.statusText, 500));
  }
  return body;
}

/** The report as a widget: counts, each crash (verdict, categories, fixes), findings. */
export class AuditReport extends Widget {
  /** `unsaved`: the notebook has changes the server's copy (which the audit reads) lacks. */
  constructor(path: string, private readonly unsaved = false) {
    super();
    this.addClass('nbcrash-audit');
    this.id = `nbcrash-audit-${Private.nextId++}`;
    this.title.label = `Audit: ${path.split('/').pop()}`;
    this.title.closable = true;
    this.node.appendChild(el('div', 'nbcrash-audit-status', `Auditing ${path}…`));
  }

  /** Replace the content with the report (or the error). */
  showReport(report: Record<string, unknown> | Error): void {
    this.node.replaceChildren();
    if (report instanceof Error) {
      this.node.appendChild(el('div', 'nbcrash-audit-error', `Audit failed: ${report.message}`));
      return;
    }
    if (report.error) {
      this.node.appendChild(el('div', 'nbcrash-audit-error', text(report.error)));
    }
    const crashes = Array.isArray(report.crashes) ? report.crashes : [];
    const findings = Array.isArray(report.findings) ? report.findings : [];
    this.node.appendChild(
      el(
        'div',
        'nbcrash-audit-summary',
        `${text(report.path)}: ${crashes.length} saved crash${crashes.length === 1 ? '' : 'es'}, ` +
          `${findings.length} finding${findings.length === 1 ? '' : 's'}`
      )
    );
    if (this.unsaved) {
      this.node.appendChild(
        el('div', 'nbcrash-audit-note', 'This is the saved file: save the notebook to audit your latest changes.')
      );
    }
    for (const raw of crashes.slice(0, 200)) {
      this.node.appendChild(this._crash(raw));
    }
    if (findings.length) {
      const items = findings.slice(0, 200).map(f => {
        const finding = (f ?? {}) as Record<string, unknown>;
        return `${text(finding.kind, 60)}: ${text(finding.message ?? finding.summary)}`;
      });
      const part = section('Findings', items, 'nbcrash-audit-findings');
      if (part) {
        this.node.appendChild(part);
      }
    }
  }

  private _crash(raw: unknown): HTMLElement {
    const record = readCrash(raw);
    const node = el('div', 'nbcrash-card nbcrash-audit-crash');
    node.dataset.rootCause = record.rootCause;
    node.appendChild(el('div', 'nbcrash-title', `${record.ename}: ${record.evalue}`));
    if (record.summary) {
      node.appendChild(inline(el('div', 'nbcrash-verdict'), record.summary));
    }
    const badges = el('div', 'nbcrash-badges');
    for (const category of record.categories.filter(c => c.code)) {
      const badge = el('span', 'nbcrash-badge', category.words);
      badge.title = `${category.label}: ${category.code}`;
      badges.appendChild(badge);
    }
    node.appendChild(badges);
    const fixes = section('How to fix', record.suggestions, 'nbcrash-fixes');
    if (fixes) {
      node.appendChild(fixes);
    }
    return node;
  }
}

namespace Private {
  export let nextId = 0;
}
