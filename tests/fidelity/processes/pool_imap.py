"""Pool.imap and imap_unordered: results as they come."""

import time
from multiprocessing import Pool


def wait(seconds):
    time.sleep(seconds)
    return seconds


def main():
    with Pool(3) as pool:
        for s in pool.imap(wait, [0.3, 0.1, 0.2]):
            print("imap", s)
        for s in pool.imap_unordered(wait, [0.3, 0.1, 0.2]):
            print("unordered", s)
