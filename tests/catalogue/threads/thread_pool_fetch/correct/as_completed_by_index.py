"""as_completed with a future -> index map, results placed by index."""


import time
from concurrent.futures import ThreadPoolExecutor, as_completed


def fetch_all(urls, fetch, max_workers):
    """Call ``fetch(url)`` for every url, at most ``max_workers`` at once; return the results in input order.

    A fetch that raises gives the string ``f"error: {exc}"`` in its place; the other fetches go on.
    """
    results = [None] * len(urls)
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        index_of = {pool.submit(fetch, url): i for i, url in enumerate(urls)}
        for future in as_completed(index_of):
            exc = future.exception()
            results[index_of[future]] = f"error: {exc}" if exc is not None else future.result()
    return results


def fake_fetch(url):
    """A stand-in for a slow download: 0.1 s per character of the name; a name with 'down' in it fails."""
    time.sleep(0.1 * len(url))
    if "down" in url:
        raise ConnectionError(f"{url} is down")
    return f"<html>{url}</html>"


if __name__ == "__main__":
    for line in fetch_all(["a.org", "bb.org", "down.org", "c.org"], fake_fetch, max_workers=2):
        print(line)
