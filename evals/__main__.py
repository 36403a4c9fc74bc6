"""`python -m evals ...` is `briefing eval ...`."""

import sys

from briefing.cli import app

app(["eval", *sys.argv[1:]])
