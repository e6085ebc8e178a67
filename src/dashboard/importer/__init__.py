"""One import pipeline for the embedded seed data and officers' uploads: read, validate, commit."""
