"""Children's services performance dashboard: the core package (pure Python; Streamlit lives only in ui/ and views/)."""
