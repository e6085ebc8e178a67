"""Running it: backup and restore, the health check, faults in words, file locks, `dashboard serve`."""
