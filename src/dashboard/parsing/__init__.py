"""Parsers for values as councils write them: numbers, money, periods, due dates and statuses."""
