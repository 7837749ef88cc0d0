"""Makes the pool with three workers, the number of the example, whatever max_workers says."""
# expect-fail: busy
# expect-message: at most 3 jobs were running at once

from concurrent.futures import ThreadPoolExecutor


def fetch_all(urls, fetch, max_workers):
    results = []
    with ThreadPoolExecutor(max_workers=3) as pool:
        for future in [pool.submit(fetch, url) for url in urls]:
            try:
                results.append(future.result())
            except Exception as exc:
                results.append(f"error: {exc}")
    return results
