/**
 * The words for taxonomy.md's codes, as nbcrash_kernel/record/taxonomy.py holds them (a test checks
 * they stay the same): cards show words, with the code in a tooltip.
 */
export const EXCEPTION_TYPES: Record<string, string> = {
  VNF: "variable not found",
  NAME: "other name not found",
  MODULE: "module not found",
  IARG: "invalid argument to an API",
  ATTR: "attribute error",
  KEY: "key error",
  INDEX: "index error",
  TYPE: "type error",
  VALUE: "value error",
  TSHAPE: "tensor / array shape mismatch",
  BCAST: "unsupported broadcast",
  DVIOL: "data value violation",
  FNAME: "feature name mismatch",
  OOM: "out of memory",
  IO: "file and I/O error",
  ENV: "environment error",
  RERR: "request / network error",
  RUNTIME: "runtime error",
  INIT: "model initialization error",
  OTHER: "other exception",
};

export const ROOT_CAUSES: Record<string, string> = {
  API: "API misuse",
  NB: "notebook-specific issue",
  DATA: "data confusion",
  MODEL: "ML model confusion",
  IMPL: "implementation error",
  ENV: "environment issue",
  LIB: "library cause",
  RSC: "insufficient resources",
  INTENT: "intentional crash",
  UNK: "unknown cause",
};

export const ORIGINS: Record<string, string> = {
  ML: "ML / data-science library code",
  PY: "general Python code",
};

export const STAGES: Record<string, string> = {
  ENVS: "environment setup",
  DATAP: "data preparation",
  DATAV: "data visualization",
  MCONS: "model construction",
  TRAIN: "training",
  EVAL: "evaluation and inference",
  NONE: "not part of an ML pipeline",
};

const TABLES: Record<string, Record<string, string>> = {
  exception_type: EXCEPTION_TYPES,
  root_cause: ROOT_CAUSES,
  origin: ORIGINS,
  stage: STAGES
};

/** The words for `code` in `dimension` ('exception_type', 'root_cause', 'origin', 'stage'). */
export function describe(dimension: string, code: string): string {
  const table = TABLES[dimension] ?? {};
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : code;
}
