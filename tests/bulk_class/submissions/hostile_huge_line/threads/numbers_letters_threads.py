"""Prints one 3.5 MB line (within the run's 4 MB output limit), and nothing the exercise asks for.

Every string the judge copied from the trace went into results.json and the verdict cache whole: this line
became a 3.5 MB results.json and a 31 MB cache entry.  The judge now cuts every string it copies from a trace,
with a marker saying how much was cut.
"""


def main():
    print("x" * (3 * 1024 * 1024 + 512 * 1024))
