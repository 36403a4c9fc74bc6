"""Search: the passages for a question, dense and BM25 results fused, with the dates its time words imply."""
