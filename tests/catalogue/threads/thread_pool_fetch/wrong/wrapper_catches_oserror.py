"""Wraps fetch so that it returns the error text instead of raising, but the wrapper catches only OSError (the
network errors): a ValueError or a KeyError from a fetch still escapes."""
# expect-fail: returns
# expect-message: raised valueerror

from concurrent.futures import ThreadPoolExecutor


def fetch_all(urls, fetch, max_workers):
    def safe(url):
        try:
            return fetch(url)
        except OSError as exc:
            return f"error: {exc}"

    with ThreadPoolExecutor(max_workers) as pool:
        return list(pool.map(safe, urls))
