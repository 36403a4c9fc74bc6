"""Local-first news intelligence: cited answers and daily briefings from your articles."""
