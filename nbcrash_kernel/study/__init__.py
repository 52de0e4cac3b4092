"""``nbcrash study``: the offline pipeline of the study "Why do Machine Learning Notebooks Crash?".

One module per step (ingest, filters, cluster, sample, label, stats, figures, report), each
reading and writing Parquet in a study folder; ``runner`` chains them and ``cli`` exposes them
as ``nbcrash study ...`` subcommands.
"""
from __future__ import annotations
