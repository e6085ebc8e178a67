"""Getting data in: the build from data/, the seed loader, officers' uploads (stage, preview, drafts, commit,
rollback), the diff, templates, series joins, citation checks."""
