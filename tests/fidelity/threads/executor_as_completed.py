"""ThreadPoolExecutor with as_completed: results in the order they finish."""

import time
from concurrent.futures import ThreadPoolExecutor, as_completed


def fetch(url, seconds):
    time.sleep(seconds)
    return f"{url}: {len(url)} bytes"


def main():
    sites = {"a.example": 0.6, "bb.example": 0.2, "ccc.example": 0.4, "dddd.example": 0.3}
    with ThreadPoolExecutor(max_workers=2) as executor:
        futures = {executor.submit(fetch, url, s): url for url, s in sites.items()}
        for fut in as_completed(futures):
            print(futures[fut], "->", fut.result())
    print("done")
