"""The Streamlit app (run with `briefing ui`)."""
