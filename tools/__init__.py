"""Developer tools (benchmarks, extraction accuracy); run from a checkout, not shipped in the wheel."""
