"""Connection.poll(timeout): wait a while for a message down a Pipe, and give up if none comes in time."""

import multiprocessing as mp
import time


def reporter(conn):
    for n in (1, 2, 3):
        time.sleep(0.4 * n)
        conn.send(f"report {n}")
    conn.close()


def main():
    reader, writer = mp.Pipe(duplex=False)
    p = mp.Process(target=reporter, args=(writer,))
    p.start()
    for _ in range(5):
        if reader.poll(0.5):
            print("got", reader.recv())
        else:
            print("nothing yet")
    p.join()
