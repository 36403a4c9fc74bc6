"""Prompt templates, shipped inside the package and loaded by name."""
