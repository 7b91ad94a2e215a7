"""Benchmark of the public Avvisi pages and of the notice PDF task (see bench/README.md)."""
