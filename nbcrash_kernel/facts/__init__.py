"""Facts the classifier reads: a cell's facts from its AST, the library of a variable without live
objects, the notebook as a graph of cells and executions, and the CrashContext that carries any mix
of them. Pure Python: no IPython or Jupyter imports at module level."""
