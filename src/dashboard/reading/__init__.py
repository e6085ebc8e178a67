"""What the data say, in plain Python: assessments, comparisons, exceptions, filters, status matrices, reading
flags, what changed and the data version."""
