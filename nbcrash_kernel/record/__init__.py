"""The crash record every face emits: the taxonomy's codes, the Diagnosis, tracebacks as frames,
and the text-safety helpers the record's strings pass through. Imports nothing of the faces."""
