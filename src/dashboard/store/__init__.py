"""Everything that speaks SQL: the schema, the analysts' views, writes and the dashboard's read queries."""
