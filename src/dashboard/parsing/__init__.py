"""Parsers for values as councils write them: numbers, money, periods, due dates, statuses and organisations' names,
ONS codes and LA numbers (identity)."""
