"""The Streamlit edge: cached data access, the shared sidebar, and rendering helpers used by the thin pages."""
