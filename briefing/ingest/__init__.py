"""Ingest: reading articles from files, web pages and feeds, cleaning them, and cutting them into chunks."""
