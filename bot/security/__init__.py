"""Security boundaries shared by every process: production checks, conversation ids, input limits."""
