"""The fidelity suite: outside-style programs with golden real runs (see suite.py)."""
