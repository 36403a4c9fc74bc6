"""Briefs: the one-page briefing of a period, its stories ranked and summarised, every line checked."""
