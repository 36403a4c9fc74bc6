"""Index: the store (Chroma vectors, the SQLite article catalog, BM25) and writing articles into it."""
