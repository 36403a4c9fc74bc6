"""Index: the store (Chroma vectors, the article catalog in SQLite or PostgreSQL, BM25) and writing articles into it."""
