"""Pool tasks append (index, result) pairs to one shared list (list.append is one step), sorted at the end."""

import time
from concurrent.futures import ThreadPoolExecutor


def fetch_all(urls, fetch, max_workers):
    """Call ``fetch(url)`` for every url, at most ``max_workers`` at once; return the results in input order.

    A fetch that raises gives the string ``f"error: {exc}"`` in its place; the other fetches go on.
    """
    done = []

    def job(index, url):
        try:
            done.append((index, fetch(url)))
        except Exception as exc:
            done.append((index, f"error: {exc}"))

    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        for index, url in enumerate(urls):
            pool.submit(job, index, url)
    return [result for _, result in sorted(done, key=lambda pair: pair[0])]


def fake_fetch(url):
    """A stand-in for a slow download: 0.1 s per character of the name; a name with 'down' in it fails."""
    time.sleep(0.1 * len(url))
    if "down" in url:
        raise ConnectionError(f"{url} is down")
    return f"<html>{url}</html>"


if __name__ == "__main__":
    for line in fetch_all(["a.org", "bb.org", "down.org", "c.org"], fake_fetch, max_workers=2):
        print(line)
