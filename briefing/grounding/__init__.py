"""Grounding: does a passage support a sentence? The offline verifier, the judges, and cited spans numbered once."""
