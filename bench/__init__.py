"""Benchmarks, run on demand (never in the test suite); figures go to docs/benchmarks.md. See bench/README.md."""
