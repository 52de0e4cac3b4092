/** The "Crashes" side panel: this session's diagnoses, filterable by root cause. */
import { Widget } from '@lumino/widgets';

import { CrashLog, ICrashEntry } from './crashlog';
import { el, inline } from './dom';
import { cellLabel } from './record';
import { describe } from './taxonomy';

const ALL = '';

export class CrashesPanel extends Widget {
  constructor(
    private readonly log: CrashLog,
    private readonly jump: (entry: ICrashEntry) => void
  ) {
    super();
    this.id = 'nbcrash-crashes';
    this.title.label = 'Crashes';
    this.title.caption = 'nbcrash: the crashes of this session';
    this.addClass('nbcrash-panel');
    const header = el('div', 'nbcrash-panel-header');
    header.appendChild(el('span', 'nbcrash-panel-title', 'Crashes'));
    const label = el('label', 'nbcrash-filter-label', 'Root cause ');
    label.appendChild(this._filter);
    header.appendChild(label);
    this._filter.className = 'nbcrash-filter';
    this._filter.addEventListener('change', () => this._render());
    this.node.append(header, this._list);
    this._list.className = 'nbcrash-crash-list';
    log.changed.connect(() => this._render(), this);
    this._render();
  }

  private _render(): void {
    const entries = [...this.log.entries].reverse();
    this._renderFilter(entries);
    const chosen = this._filter.value;
    const shown = entries.filter(e => chosen === ALL || e.record.rootCause === chosen);
    this._list.replaceChildren();
    if (shown.length === 0) {
      this._list.appendChild(
        el('li', 'nbcrash-empty', entries.length ? 'No crash of this category.' : 'No crash in this session yet.')
      );
    }
    for (const entry of shown) {
      this._list.appendChild(this._item(entry));
    }
  }

  private _renderFilter(entries: ICrashEntry[]): void {
    const chosen = this._filter.value;
    const codes = [...new Set(entries.map(e => e.record.rootCause))].sort();
    this._filter.replaceChildren(el('option', '', 'all'));
    (this._filter.firstChild as HTMLOptionElement).value = ALL;
    for (const code of codes) {
      const option = el('option', '', code);
      option.value = code;
      this._filter.appendChild(option);
    }
    this._filter.value = codes.includes(chosen) ? chosen : ALL;
  }

  private _item(entry: ICrashEntry): HTMLElement {
    const { record } = entry;
    const item = el('li', 'nbcrash-crash-item');
    item.tabIndex = 0;
    item.dataset.rootCause = record.rootCause;
    const notebook = entry.panel.context.path.split('/').pop() ?? '';
    // As Jupyter names the cell: its count when the crash saved one, else its position now.
    const index = entry.panel.content.widgets.findIndex(c => c.model.id === entry.cellId);
    const where = cellLabel({ index: index >= 0 ? index : null, executionCount: record.executionCount });
    const head = el('div', 'nbcrash-crash-head');
    const badge = el('span', 'nbcrash-badge', describe('root_cause', record.rootCause));
    badge.title = `Root cause: ${record.rootCause}`;
    head.appendChild(badge);
    head.appendChild(el('span', 'nbcrash-crash-where', `${notebook} ${where}`));
    head.appendChild(el('span', 'nbcrash-crash-ename', record.ename));
    item.appendChild(head);
    item.appendChild(inline(el('div', 'nbcrash-crash-summary'), record.summary || record.evalue));
    const open = () => this.jump(entry);
    item.addEventListener('click', open);
    item.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        open();
      }
    });
    return item;
  }

  private _filter = el('select');
  private _list = el('ul');
}
