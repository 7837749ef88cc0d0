"""Each pool task takes the next url by a shared index, `i = position; position += 1`, with no lock: two tasks can take the same url."""
# expect-fail: returns
# expect-message: This showed under schedule

import time
from concurrent.futures import ThreadPoolExecutor


def fetch_all(urls, fetch, max_workers):
    """Call ``fetch(url)`` for every url, at most ``max_workers`` at once; return the results in input order.

    A fetch that raises gives the string ``f"error: {exc}"`` in its place; the other fetches go on.
    """
    results = [None] * len(urls)
    position = 0

    def job():
        nonlocal position
        i = position  # the next url nobody has taken yet
        position = i + 1
        try:
            results[i] = fetch(urls[i])
        except Exception as exc:
            results[i] = f"error: {exc}"

    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        for _ in urls:
            pool.submit(job)
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
