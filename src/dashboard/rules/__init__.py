"""Performance rules: indicator RAG from polarity and tolerance, and direction of travel."""
