"""multiprocessing.Pipe: a request and a reply between parent and child."""

import multiprocessing as mp
import time


def server(conn):
    while (request := conn.recv()) != "stop":
        time.sleep(0.2)
        conn.send(request.upper())
    conn.close()


def main():
    parent, child = mp.Pipe()
    p = mp.Process(target=server, args=(child,))
    p.start()
    for word in ("ping", "pong"):
        parent.send(word)
        print("reply:", parent.recv())
    parent.send("stop")
    p.join()
    print("server exit code", p.exitcode)
