"""Benchmarks: each measures against a baseline run in the same go and writes bench/RESULTS.md."""
