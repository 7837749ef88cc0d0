"""datetime.now() and time.strftime in a child process follow its sleeps."""

import multiprocessing as mp
import time
from datetime import datetime


def child(start):
    time.sleep(0.5)
    print("child elapsed", round((datetime.now() - start).total_seconds(), 1))


def main():
    start = datetime.now()
    p = mp.Process(target=child, args=(start,))
    p.start()
    p.join()
    print("parent elapsed", round((datetime.now() - start).total_seconds(), 1),
          time.strftime("%Y") == str(datetime.now().year))
