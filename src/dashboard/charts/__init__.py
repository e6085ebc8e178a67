"""Plotly figure builders: plain functions from DataFrames to figures, shared by pages and exports."""
