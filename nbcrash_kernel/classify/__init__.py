"""``nbcrash classify``: crash records (CSV, JSONL, Parquet) in, the taxonomy's labels out."""
