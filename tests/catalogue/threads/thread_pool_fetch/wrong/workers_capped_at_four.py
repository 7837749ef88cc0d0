"""Caps the pool at four threads ("more would only wait"), so a caller that asks for eight gets four."""
# expect-fail: busy
# expect-message: at most 4 jobs were running at once

import concurrent.futures


def fetch_all(urls, fetch, max_workers):
    out = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(max_workers, 4)) as pool:
        futures = {pool.submit(fetch, url): i for i, url in enumerate(urls)}
        for future in concurrent.futures.as_completed(futures):
            try:
                out[futures[future]] = future.result()
            except Exception as exc:
                out[futures[future]] = f"error: {exc}"
    return [out[i] for i in range(len(urls))]
