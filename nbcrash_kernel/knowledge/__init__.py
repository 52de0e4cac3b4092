"""General knowledge the classifier rests on: module aliases, pip names,
library classes, removed and renamed APIs, message patterns, pipeline words.

Everything here is plain data about Python and its ML libraries, never
knowledge of particular notebooks.
"""
