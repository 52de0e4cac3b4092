"""The crash card: a Diagnosis as self-contained HTML and plain text, the same in every face."""
