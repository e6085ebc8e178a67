"""Getting data in: the build from data/, the seed loader, officers' uploads (stage, preview, drafts, commit,
rollback), the diff, templates, organisation recognition, series joins, citation checks."""
