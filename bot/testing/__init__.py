"""Throw-away servers for tests and benchmarks (not used by the running product)."""
