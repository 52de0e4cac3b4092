/**
 * The shapes nbcrash's kernel displays (taxonomy.md's diagnosis record and the
 * pre-run warning), read defensively: outputs are untrusted data.
 */
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { describe } from './taxonomy';

export const CRASH_MIME = 'application/vnd.nbcrash.crash+json';
export const WARNING_MIME = 'application/vnd.nbcrash.warning+json';

const MAX_TEXT = 2000;
const MAX_ITEMS = 12;

/** One badge: 'Stage', the words 'data preparation', the code 'DATAP' (shown in its tooltip). */
export interface ICategory {
  label: string;
  code: string;
  words: string;
  detail: string;
}

/** The rule behind one category (the record's `trace[dimension]`). */
export interface ITraceStep {
  label: string;
  rule: string;
  why: string;
}

export interface IRelatedCell {
  cellId: string;
  index: number | null;
  executionCount: number | null;
  role: string;
  names: string[];
}

export interface ICrashRecord {
  ename: string;
  evalue: string;
  summary: string;
  explanation: string;
  evidence: string[];
  suggestions: string[];
  categories: ICategory[];
  rootCause: string;
  library: string;
  cellId: string;
  executionCount: number | null;
  related: IRelatedCell[];
  trace: ITraceStep[];
}

export interface IWarningCell {
  cellId: string;
  index: number | null;
  executionCount: number | null;
  state: string;
  names: string[];
}

export interface IWarning {
  kind: string;
  message: string;
  names: string[];
  cells: IWarningCell[];
}

/** Any value as text, cut to `limit` characters. */
export function text(value: unknown, limit: number = MAX_TEXT): string {
  let result: string;
  if (typeof value === 'string') {
    result = value;
  } else if (value === null || value === undefined) {
    result = '';
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    result = String(value);
  } else {
    try {
      result = JSON.stringify(value) ?? '';
    } catch {
      result = '';
    }
  }
  return result.length <= limit ? result : result.slice(0, limit - 1) + '…';
}

function textList(value: unknown, limit: number = MAX_ITEMS): string[] {
  if (typeof value === 'string') {
    return [text(value)];
  }
  return Array.isArray(value) ? value.slice(0, limit).map(v => text(v)) : [];
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

function object(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The diagnosis record of a crash+json output. */
export function readCrash(data: unknown): ICrashRecord {
  const raw = object(data);
  const related = (Array.isArray(raw.related_cells) ? raw.related_cells : [])
    .slice(0, 50)
    .map(object)
    .map(cell => ({
      cellId: text(cell.cell_id, 200),
      index: integer(cell.index),
      executionCount: integer(cell.execution_count),
      role: text(cell.role, 40),
      names: textList(cell.names, 8).map(n => text(n, 60))
    }));
  const category = (label: string, code: string, detail: string): ICategory => {
    const value = text(raw[code], 40);
    let words = describe(code, value);
    const extra = text(raw[detail], 120);
    if (code === 'root_cause' && extra && extra !== 'unknown' && extra !== words) {
      words = `${words} (${extra})`;
    } else if (code === 'origin' && extra) {
      words = `${words} (${extra})`;
    }
    return { label, code: value, words, detail: extra };
  };
  return {
    ename: text(raw.ename, 120),
    evalue: text(raw.evalue, 400),
    summary: text(raw.summary),
    explanation: text(raw.explanation),
    evidence: textList(raw.evidence),
    suggestions: textList(raw.suggestions),
    categories: [
      category('Exception', 'exception_type', 'exception_type_detail'),
      category('Root cause', 'root_cause', 'root_cause_detail'),
      category('Origin', 'origin', 'library'),
      category('Stage', 'stage', 'stage')
    ],
    rootCause: text(raw.root_cause, 40) || 'UNK',
    library: text(raw.library, 40),
    cellId: text(raw.cell_id, 200),
    executionCount: integer(raw.execution_count),
    related,
    trace: readTrace(raw.trace)
  };
}

const TRACE_DIMENSIONS: [string, string][] = [
  ['exception_type', 'Exception'],
  ['root_cause', 'Root cause'],
  ['origin', 'Origin'],
  ['stage', 'Stage']
];

/** The rule trace `{dimension: {rule, why, candidates}}`, when the record has one. */
function readTrace(value: unknown): ITraceStep[] {
  const trace = object(value);
  const steps: ITraceStep[] = [];
  for (const [dimension, label] of TRACE_DIMENSIONS) {
    const step = object(trace[dimension]);
    const rule = text(step.rule, 80);
    const why = text(step.why, 400);
    if (rule || why) {
      steps.push({ label, rule, why });
    }
  }
  return steps;
}

/** The pre-run warning of a warning+json output. */
export function readWarning(data: unknown): IWarning {
  const raw = object(data);
  const cells = (Array.isArray(raw.cells) ? raw.cells : [])
    .slice(0, 50)
    .map(object)
    .map(cell => ({
      cellId: text(cell.cell_id, 200),
      index: integer(cell.index),
      executionCount: integer(cell.execution_count),
      state: text(cell.state, 40),
      names: textList(cell.names, 8).map(n => text(n, 60))
    }));
  return {
    kind: text(raw.kind, 40),
    message: text(raw.message),
    names: textList(raw.names, 20).map(n => text(n, 60)),
    cells
  };
}

/** Roles of cells that should run before the crashed cell. */
export const PREREQUISITE_ROLES = new Set([
  'definer-not-run',
  'definer-below',
  'definer-crashed',
  'definer'
]);

/** The cells to run before the crashed one, in notebook order, without repeats. */
export function prerequisites(record: ICrashRecord): IRelatedCell[] {
  const seen = new Set<string>();
  const cells = record.related.filter(cell => {
    if (!PREREQUISITE_ROLES.has(cell.role) || !cell.cellId || seen.has(cell.cellId)) {
      return false;
    }
    seen.add(cell.cellId);
    return cell.cellId !== record.cellId;
  });
  return cells.sort((a, b) => (a.index ?? 1e9) - (b.index ?? 1e9));
}

/**
 * The cell as Jupyter shows it (nbcrash_kernel/facts/cell_names.py): 'In [7]' when it ran,
 * 'cell #5' (1-based, as the status bar counts) when it did not.
 */
export function cellLabel(cell: { index: number | null; executionCount?: number | null }): string {
  if (cell.executionCount !== null && cell.executionCount !== undefined) {
    return `In [${cell.executionCount}]`;
  }
  if (cell.index !== null && cell.index >= 0) {
    return `cell #${cell.index + 1}`;
  }
  return 'a cell';
}

/** The explanation, unless it only restates the summary or the headline (and the badges). */
export function explanationShown(record: ICrashRecord): string {
  const headline = record.evalue ? `${record.ename}: ${record.evalue}` : record.ename;
  if (!record.explanation || record.explanation === record.summary) {
    return '';
  }
  return record.explanation.startsWith(headline) ? '' : record.explanation;
}

function plain(value: string): string {
  return value.replace(/[`'"]/g, '').toLowerCase();
}

/** The evidence lines the summary does not already say. */
export function evidenceShown(record: ICrashRecord): string[] {
  const summary = plain(record.summary);
  return record.evidence.filter(line => !summary.includes(plain(line)));
}

/** The crash record found in a cell output's data, if any. */
export function crashInOutput(data: ReadonlyPartialJSONObject): ICrashRecord | null {
  return CRASH_MIME in data ? readCrash(data[CRASH_MIME]) : null;
}

/** The warning found in a cell output's data, if any. */
export function warningInOutput(data: ReadonlyPartialJSONObject): IWarning | null {
  return WARNING_MIME in data ? readWarning(data[WARNING_MIME]) : null;
}
