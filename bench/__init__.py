"""Benchmarks: a synthetic national dataset and timings against side-by-side baselines (not tests)."""
