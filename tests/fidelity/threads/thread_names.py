"""Thread names and threading.enumerate(), and the names of an executor's threads."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor


def work():
    time.sleep(0.2)
    print("in", threading.current_thread().name)


def main():
    print("main is", threading.current_thread().name, threading.current_thread() is threading.main_thread())
    t = threading.Thread(target=work)
    t.start()
    print(sorted(th.name for th in threading.enumerate()))
    t.join()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pool") as ex:
        ex.submit(work).result()
    print("count at the end:", threading.active_count())
