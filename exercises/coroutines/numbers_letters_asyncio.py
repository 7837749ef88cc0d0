"""Numbers and letters, with asyncio.

The same two workers again (``Number: 1`` to ``Number: 5`` every 1 s, ``Letter: a`` to ``Letter: e`` every
1.5 s), now as coroutines: all three functions are ``async def``.  ``main()`` runs both as two asyncio tasks,
waits for both, then prints ``Done!``.  Running this file does ``asyncio.run(main())``.

The lesson
    One thread, one event loop, many tasks: a task runs until it ``await``s something, then the loop runs
    another.  So wait with ``await asyncio.sleep(...)``; ``time.sleep`` would freeze every task, and
    ``asyncio.sleep(...)`` without ``await`` does nothing at all.  ``asyncio.create_task(coro)`` starts a
    task; ``await task`` (or ``asyncio.gather``) waits for it.  A task nobody awaits is cancelled when
    ``asyncio.run`` ends.

Check your work:  course check coroutines/numbers_letters_asyncio   (or: pytest exercises/coroutines/numbers_letters_asyncio.py)
Run it and watch:  python exercises/coroutines/numbers_letters_asyncio.py
"""

import asyncio


async def print_numbers():
    """Print ``Number: 1`` ... ``Number: 5``, awaiting 1 s before each line."""
    # TODO: for i from 1 to 5: await asyncio.sleep(1), then print f"Number: {i}"
    raise NotImplementedError("print_numbers(): await asyncio.sleep(1), then print 'Number: i', for i from 1 to 5")


async def print_letters():
    """Print ``Letter: a`` ... ``Letter: e``, awaiting 1.5 s before each line."""
    # TODO: for each letter of "abcde": await asyncio.sleep(1.5), then print f"Letter: {letter}"
    raise NotImplementedError("print_letters(): await asyncio.sleep(1.5), then print 'Letter: x', for x in 'abcde'")


async def main():
    """Run both coroutines as two tasks at the same time, await both, then print ``Done!``."""
    # TODO: create a task for each coroutine (asyncio.create_task), await both, then print "Done!"
    raise NotImplementedError("main(): create two tasks, await both, then print 'Done!'")


if __name__ == "__main__":
    asyncio.run(main())
