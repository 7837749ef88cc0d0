"""Catches only ConnectionError, the one failure of the example: a fetch that fails any other way escapes
fetch_all() instead of becoming its "error: ..." entry."""
# expect-fail: returns
# expect-message: with urls ['x.org', 'slow.org'] (slow.org raises timeouterror) and max_workers=2, fetch_all() raised timeouterror

from concurrent.futures import ThreadPoolExecutor


def fetch_all(urls, fetch, max_workers):
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        futures = [pool.submit(fetch, url) for url in urls]
        results = []
        for future in futures:
            try:
                results.append(future.result())
            except ConnectionError as exc:
                results.append(f"error: {exc}")
    return results
