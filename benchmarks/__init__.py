"""Scripts that build large data sets and print figures (`python -m benchmarks.<name>`)."""
