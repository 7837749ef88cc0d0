"""Grader for threads/go_channel: the driver runs threads that talk through the student's Channel and records what
happens, when.  The virtual clock makes "when" exact: an unbuffered send that does not wait for its receiver
returns at 0 s instead of 1 s, a close() that wakes only one receiver leaves the others waiting (a deadlock).

Two parts:

- **Demonstrations** (printed lines; ``output``, ``timing``, ``order``): one sender and one receiver on an
  unbuffered and a buffered channel, three receivers woken by close(), a for-loop, what is left after close().
- **Scenarios** (``coursekit.scenarios``; ``returns``): 1 to 4 senders and 1 to 4 receivers on channels of
  capacity 0 to 3, closed while sends or receives wait, drawn from a fixed seed and run smallest first.  Each
  scenario's outcome is what happened at each moment (how many send() calls were made, returned or raised, how
  many recv() calls gave a value or raised), every value that came out, and, with one sender, their order.  It is
  compared with the reference's on the same scenario; a failure names the smallest scenario that shows it, and
  the first moment where it went another way.

What an outcome holds is what the contract decides, whatever a correct Channel looks like inside: which of two
waiting receivers gets a value, or which of two waiting senders goes first, is not decided (the contract does
not say), so receivers are alike (they receive until the channel is closed, with the same pause) and, with
several senders, each sends one value; a moment counts events, it does not name threads.  (Checked: the reference
and the catalogue's correct channels, in five styles, give the same outcome on 257 scenarios drawn from another
seed, under both tie policies and explored schedules.)

The work the grader names is ``value_received``: the driver calls it whenever a receiver gets one of the values
that were sent, so a Channel whose methods do nothing (or return something made up) shows no work and gets no
credit, however vacuously the checks on the driver's own lines would pass.
"""

from __future__ import annotations

import ast
import threading
import time

from coursekit import checks, scenarios
from coursekit.grading import Grader
from coursekit.scenarios import Scenario, plural, show


def _run(*targets):
    for t in targets:
        t.__qualname__ = t.__name__  # short labels in the timeline: "thread sender", not "...<locals>.sender"
    threads = [threading.Thread(target=t) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# --- demonstrations: printed lines -------------------------------------------------------------------------------


def value_received(value):
    """Called when a receiver got one of the values sent: the work the grader names (a Channel whose recv() gives
    back nothing that was sent shows no work at all, however vacuously some checks would pass)."""
    return value


def _taken(value, sent):
    """``value``, received; the work is recorded when it is one of the values ``sent``."""
    if any(value is v or (type(value) is type(v) and value == v) for v in sent):
        value_received(value)
    return value


def unbuffered(module):
    """A send on an unbuffered channel returns only when a receiver (here: one per second) took its value."""
    ch = module.Channel()

    def sender():
        time.sleep(0.25)
        for value in (1, 2, 3):
            ch.send(value)
            print(f"unbuffered: send({value}) returned")

    def receiver():
        for _ in range(3):
            time.sleep(1)
            print(f"unbuffered: recv() gave {_taken(ch.recv(), (1, 2, 3))!r}")

    _run(sender, receiver)


def buffered(module):
    """A buffered channel (capacity 2) takes two values at once; the third send waits for room."""
    ch = module.Channel(2)

    def sender():
        time.sleep(0.25)
        for value in "abcd":
            ch.send(value)
            print(f"capacity 2: send({value!r}) returned")

    def receiver():
        for _ in range(4):
            time.sleep(1)
            print(f"capacity 2: recv() gave {_taken(ch.recv(), 'abcd')!r}")

    _run(sender, receiver)


def close_wakes_everyone(module):
    """Three receivers wait on an empty channel; close() must wake all three."""
    ch = module.Channel()

    def receiver(n):
        def wait_for_value():
            try:
                print(f"receiver {n}: recv() gave {ch.recv()!r}")
            except module.Closed:
                print(f"receiver {n}: recv() raised Closed")
        wait_for_value.__name__ = f"receiver_{n}"
        return wait_for_value

    def closer():
        time.sleep(1)
        ch.close()
        print("close() returned")

    _run(receiver(1), receiver(2), receiver(3), closer)


def range_until_closed(module):
    """A for-loop over the channel gets every value, in order, then ends when the producer closes it."""
    ch = module.Channel()

    def producer():
        for value in (10, 20, 30):
            time.sleep(0.5)
            ch.send(value)
        ch.close()

    def consumer():
        for value in ch:
            print(f"for-loop: got {_taken(value, (10, 20, 30))!r}")
        print("for-loop: ended")

    _run(producer, consumer)


def after_close(module):
    """Values sent before close() can still be received; then recv() and send() raise Closed."""
    ch = module.Channel(3)
    for value in "xyz":
        ch.send(value)
    ch.close()
    print(f"after close: received {[_taken(value, 'xyz') for value in ch]!r}")
    try:
        ch.recv()
        print("after close: recv() on an empty, closed channel returned")
    except module.Closed:
        print("after close: recv() on an empty, closed channel raised Closed")
    try:
        ch.send("late")
        print("after close: send() returned")
    except module.Closed:
        print("after close: send() raised Closed")


DEMONSTRATIONS = (unbuffered, buffered, close_wakes_everyone, range_until_closed, after_close)


# --- scenarios: one outcome each -----------------------------------------------------------------------------------

SEND_CALLED, SEND_RETURNED, SEND_CLOSED = "send() called", "send() returned", "send() raised Closed"
RECV_VALUE, RECV_CLOSED, LOOP_ENDED = "recv() gave a value", "recv() raised Closed", "for-loop ended"
CLOSE_CALLED = "close() called"
KIND_ORDER = (SEND_CALLED, SEND_RETURNED, SEND_CLOSED, RECV_VALUE, RECV_CLOSED, LOOP_ENDED, CLOSE_CALLED)


def _s(t):
    return f"{t:g} s"


def case(capacity, senders, receivers, close_at=None, *, loop="recv"):
    """``senders``: (start, values, pause) per sender (several senders send one value each: see the module's
    docstring); ``receivers``: (start, pause), each receiving until the channel is closed (``loop``: by calling
    recv() until it raises Closed, or with a for-loop); ``close_at``: when a closer calls close(), or None: the
    only sender closes the channel after its last send."""
    assert len(senders) == 1 or all(len(values) == 1 for _, values, _ in senders)
    assert close_at is not None or len(senders) == 1
    kind = "unbuffered" if capacity == 0 else f"capacity {capacity}"
    if len(senders) == 1:
        start, values, pause = senders[0]
        every = f", one per {_s(pause)}" if pause and len(values) > 1 else ""
        said = f"1 sender sending {show(values)} from {_s(start)}{every}"
    else:
        said = (f"{len(senders)} senders sending "
                + ", ".join(f"{values[0]!r} at {_s(start)}" for start, values, _ in senders))
    starts = sorted(start for start, _ in receivers)
    pause = receivers[0][1] if receivers else 0
    recv_said = ("no receiver" if not receivers else
                 f"{plural(len(receivers), 'receiver')} from {', '.join(_s(s) for s in starts)}"
                 + (f" (a pause of {_s(pause)} after each value)" if pause else "")
                 + (" in a for-loop" if loop == "for" else ""))
    close_said = f"close() at {_s(close_at)}" if close_at is not None else "the sender calling close() after its sends"
    values_n = sum(len(values) for _, values, _ in senders)
    return Scenario(f"{kind}, {said}, {recv_said}, {close_said}",
                    {"capacity": capacity, "senders": senders, "receivers": receivers, "close_at": close_at,
                     "loop": loop},
                    size=len(senders) + len(receivers) + values_n / 2 + capacity / 4)


def _quarter(rng, low, high):
    """A moment in [low, high] on the quarter second: senders and receivers act on quarters, close() at a tenth
    past one, so that close() never ties with another call (which goes first would then be luck)."""
    return rng.randint(int(low * 4), int(high * 4)) / 4


def random_case(rng):
    capacity = rng.choice((0, 0, 1, 1, 2, 3))
    n_receivers = rng.randint(1, 4)
    pause = rng.choice((0, 0.5, 1))
    receivers = [(_quarter(rng, 0, 2), pause) for _ in range(n_receivers)]
    if rng.random() < 0.5:  # several senders, one value each
        senders = [(_quarter(rng, 0, 2.5), [rng.randint(0, 9)], 0) for _ in range(rng.randint(2, 4))]
        close_at = _quarter(rng, 0.5, 3.5) + 0.1
    else:  # one sender, several values (0 among them: a falsy value is a value)
        n = rng.randint(2, 5)
        senders = [(_quarter(rng, 0, 1), list(range(n)), rng.choice((0, 0.5)))]
        close_at = rng.choice((None, _quarter(rng, 0.5, 4) + 0.1))
    return case(capacity, senders, receivers, close_at, loop=rng.choice(("recv", "recv", "for")))


SCENARIOS = scenarios.draw(random_case, seed=3, count=12, fixed=(
    # the cases: several waiters woken by one notify_all, close() while sends and receives wait
    case(0, [(0, [7], 0)], [], 0.6),  # a send waits for a receiver that never comes: close() ends its wait
    case(0, [(1, [5], 0)], [(0, 0)] * 4, 2.1),  # four receivers wait, one value, then close()
    case(0, [(0, [1], 0), (0.25, [2], 0)], [(1, 1)], 3.1),  # two sends wait, each for its own receive
    case(0, [(0, [1], 0), (0.25, [2], 0), (0.5, [3], 0), (0.75, [4], 0)], [(1, 1)], 5.1),
    case(1, [(0, [1], 0), (0.25, [2], 0), (0.5, [3], 0)], [(1, 0)], 0.6),  # close() while sends wait for room
    case(0, [(0, [None, 0, ""], 0)], [(0.5, 0.5), (0.5, 0.5)]),  # falsy values are values too
    case(2, [(0, [0, 1, 2, 3, 4], 0)], [(1, 0.5)], 1.6, loop="for"),
))


def play(module, scenario):
    """Run one scenario: its senders, receivers and closer as threads; then take what is left in the channel."""
    ch = module.Channel(scenario["capacity"])
    sent = [v for _, values, _ in scenario["senders"] for v in values]
    log = []  # (moment, kind)
    got = []  # (moment, value) taken by the receivers
    t0 = time.monotonic()

    def now():
        return round(time.monotonic() - t0, 3)

    def raised(call, exc):
        return f"{call} raised {'Closed' if isinstance(exc, module.Closed) else type(exc).__name__}"

    def sender(start, values, pause, closes):
        def send_values():
            time.sleep(start)
            for k, value in enumerate(values):
                if k and pause:
                    time.sleep(pause)
                log.append((now(), SEND_CALLED))
                try:
                    ch.send(value)
                except NotImplementedError:
                    raise
                except Exception as exc:  # noqa: BLE001 - what send() raised is the outcome
                    log.append((now(), raised("send()", exc)))
                    return
                log.append((now(), SEND_RETURNED))
            if closes:
                log.append((now(), CLOSE_CALLED))
                ch.close()
        return send_values

    def took(value):
        log.append((now(), RECV_VALUE))
        got.append((now(), value))
        _taken(value, sent)

    def receiver(start, pause):
        def receive_values():
            time.sleep(start)
            for _ in range(len(sent) + 1):  # never more values than were sent, unless recv() makes some up
                try:
                    value = ch.recv()
                except NotImplementedError:
                    raise
                except Exception as exc:  # noqa: BLE001 - what recv() raised is the outcome
                    log.append((now(), raised("recv()", exc)))
                    return
                took(value)
                if pause:
                    time.sleep(pause)
        return receive_values

    def for_loop(start, pause):
        def receive_in_a_loop():
            time.sleep(start)
            try:
                for count, value in enumerate(ch):
                    took(value)
                    if count > len(sent):
                        return
                    if pause:
                        time.sleep(pause)
            except NotImplementedError:
                raise
            except Exception as exc:  # noqa: BLE001 - what the loop raised is the outcome
                log.append((now(), raised("for-loop", exc)))
                return
            log.append((now(), LOOP_ENDED))
        return receive_in_a_loop

    def closer():
        time.sleep(scenario["close_at"])
        log.append((now(), CLOSE_CALLED))
        ch.close()

    closes = scenario["close_at"] is None
    targets = [sender(start, values, pause, closes) for start, values, pause in scenario["senders"]]
    taker = for_loop if scenario["loop"] == "for" else receiver
    targets += [taker(start, pause) for start, pause in scenario["receivers"]]
    if not closes:
        targets.append(closer)
    names = [f"sender_{n}" for n in range(1, len(scenario["senders"]) + 1)]
    names += [f"receiver_{n}" for n in range(1, len(scenario["receivers"]) + 1)]
    for target, name in zip(targets, [*names, "closer"], strict=False):
        target.__name__ = name
    _run(*targets)
    left = []
    for _ in range(len(sent) + 1):  # what the receivers left in the (closed) channel
        try:
            left.append(ch.recv())
        except NotImplementedError:
            raise
        except Exception:  # noqa: BLE001 - Closed, or whatever a broken recv() raises: nothing more to take
            break
    return outcome(log, got, left, ordered=len(scenario["senders"]) == 1)


def outcome(log, got, left, *, ordered):
    """What the contract decides about a run: per moment, how many of each event (never which thread); every value
    that came out, sorted; with one sender, the values in the order they came out (those taken at one moment
    sorted, as the order of threads within a moment is not decided)."""
    counts = {}
    for moment, kind in log:
        counts[moment, kind] = counts.get((moment, kind), 0) + 1
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    moments = [[moment, kind, n] for (moment, kind), n in
               sorted(counts.items(), key=lambda item: (item[0][0], rank.get(item[0][1], len(rank)), item[0][1]))]
    out = [value for _, value in got] + left
    result = {"moments": moments, "values out": sorted(repr(v) for v in out), "left in the channel": len(left)}
    if ordered:
        by_moment = {}
        for moment, value in got:
            by_moment.setdefault(moment, []).append(value)
        result["order"] = [repr(v) for moment in sorted(by_moment)
                           for v in sorted(by_moment[moment], key=repr)] + [repr(v) for v in left]
    return result


def drive(module):
    # First a call that cannot block: an unwritten stub stops here, with one "not written yet" message instead
    # of one per thread of every scenario.
    module.Channel(1).close()
    for demonstration in DEMONSTRATIONS:
        demonstration(module)
    return scenarios.run_each(SCENARIOS, lambda s: play(module, s))


# --- the check: the first moment where a scenario went another way ------------------------------------------------


def _events(entries):
    """``[[moment, kind, n], ...]`` as ``{moment: {kind: n}}``."""
    out = {}
    for moment, kind, n in entries:
        out.setdefault(moment, {})[kind] = n
    return out


def _said(kinds):
    parts = []
    for kind in sorted(kinds, key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER), k)):
        parts.append(kind if kinds[kind] == 1 else f"{kind} ({kinds[kind]} times)")
    return ", ".join(parts) if parts else "nothing"


def _count(events, kinds, until):
    return sum(n for moment, seen in events.items() if moment <= until for kind, n in seen.items() if kind in kinds)


def _close_moment(events):
    return min((m for m, seen in events.items() if CLOSE_CALLED in seen), default=None)


def _mistake(got, want, capacity):
    """What the student's run itself shows at the first moment it goes another way, in words (with advice)."""
    g, w = _events(got["moments"]), _events(want["moments"])
    closed = _close_moment(g)
    for moment in sorted(set(g) | set(w)):
        if g.get(moment, {}) == w.get(moment, {}):
            continue
        seen = g.get(moment, {})
        still_open = closed is None or moment < closed
        if still_open and LOOP_ENDED in seen:
            return (f"At {_s(moment)}, a for-loop over the channel ended although the channel was still open"
                    + (f" (close() came at {_s(closed)})" if closed is not None else "")
                    + ". Iteration ends only once the channel is closed and empty: loop on recv() until it raises "
                    "Closed, not until no value is waiting.")
        early_raise = [k for k in seen if k.startswith(("recv() raised", "for-loop raised")) and still_open]
        if early_raise:
            return (f"At {_s(moment)}, {early_raise[0]} although the channel was still open"
                    + (f" (close() came at {_s(closed)})" if closed is not None else "")
                    + ". A receiver woken by notify_all() must check again whether a value is there: wait in a "
                    "`while` loop, not after an `if`, since another receiver may have taken the value first.")
        odd = [k for k in seen if k.startswith(("send() raised", "recv() raised", "for-loop raised"))
               and not k.endswith("Closed")]
        if odd and odd[0].startswith("send()") and closed is not None and closed <= moment:
            return (f"At {_s(moment)}, {odd[0]}. A send() still waiting when close() is called returns (its value "
                    "stays in the channel for recv() to take); only a send() that begins after close() raises "
                    "Closed.")
        if odd:
            return (f"At {_s(moment)}, {odd[0]}."
                    + (" On a closed channel with nothing left, recv() raises Closed." if closed is not None
                       and closed <= moment and not odd[0].startswith("send()") else ""))
        calls = _count(g, {SEND_CALLED}, moment)
        done = _count(g, {SEND_RETURNED} | {k for m in g.values() for k in m if k.startswith("send() raised")},
                      moment)
        taken = _count(g, {RECV_VALUE}, moment)
        waiting_closed = _count(g, {SEND_CLOSED}, moment) - _count(w, {SEND_CLOSED}, moment)
        earlier = {m: e for m, e in g.items() if m < moment}
        waited = _count(earlier, {SEND_CALLED}, moment) - _count(earlier, {SEND_RETURNED, SEND_CLOSED}, moment)
        if waiting_closed > 0 and closed is not None and closed <= moment and waited > 0:
            return (f"At {_s(moment)}, a send() that was waiting when close() was called raised Closed. A send "
                    "still waiting at close() returns instead (its value stays in the channel for recv() to take); "
                    "only a send() that begins after close() raises Closed.")
        if closed is None or moment < closed:
            pending = calls - done
            must_wait = _count(g, {SEND_RETURNED}, moment) - taken - capacity
            if must_wait > 0:
                what = ("before a receiver took its value (an unbuffered send returns only once its own value "
                        "was received)" if capacity == 0 else
                        f"while the buffer was full ({capacity} value{'s' if capacity > 1 else ''} waiting)")
                return (f"By {_s(moment)}, {done} send() call{'s' if done != 1 else ''} had returned but receivers "
                        f"had taken only {taken} value{'s' if taken != 1 else ''}: a send() returned {what}. Wait "
                        "in a `while` loop around wait() that checks for " + (
                            "your own value being taken" if capacity == 0 else "room for your own value")
                        + ", not for any change.")
            if pending > 0 and _count(w, {SEND_RETURNED}, moment) > _count(g, {SEND_RETURNED}, moment):
                return (f"At {_s(moment)}, {pending} send() call{'s' if pending != 1 else ''} still waited although "
                        f"receivers had taken {taken} value{'s' if taken != 1 else ''}, so one of them should have "
                        "returned. Either it was not woken (whoever changes the channel must wake every waiter: "
                        "notify_all(), not notify()), or it waits for the wrong thing (" + (
                            "an unbuffered send waits only until its own value is taken)." if capacity == 0 else
                            f"a send waits only while more than {capacity} values, its own included, wait in the "
                            "channel)."))
        elif _count(w, {SEND_RETURNED}, moment) > _count(g, {SEND_RETURNED}, moment):
            return (f"At {_s(moment)}, after close() at {_s(closed)}, a send() was still waiting. close() must wake "
                    "every waiting send() and let it return (its value stays for recv() to take).")
        return ""
    if got["values out"] != want["values out"]:
        lost = _minus(want["values out"], got["values out"])
        extra = _minus(got["values out"], want["values out"])
        return ((f"Values sent never came out of the channel: {', '.join(lost)}. " if lost else "")
                + (f"Values came out that were not sent, or came out twice: {', '.join(extra)}." if extra else "")
                ).strip()
    if got.get("order") != want.get("order"):
        return (f"The values came out as {', '.join(got.get('order') or [])}; a channel gives the oldest first: "
                f"{', '.join(want.get('order') or [])}.")
    return ""


def _minus(a, b):
    rest = list(b)
    out = []
    for x in a:
        if x in rest:
            rest.remove(x)
        else:
            out.append(x)
    return out


def _moment_diff(got, want):
    g, w = _events(got["moments"]), _events(want["moments"])
    for moment in sorted(set(g) | set(w)):
        if g.get(moment, {}) != w.get(moment, {}):
            return (f"At {_s(moment)}: in your run {_said(g.get(moment, {}))}; expected {_said(w.get(moment, {}))}.")
    return ""


class ChannelScenarios(checks.Returns):
    """``returns``, read per scenario: the smallest scenario that went another way, at its first moment that
    differs, with what the run itself shows there."""

    title = "each scenario (senders, receivers, capacity, close) goes as expected"

    def evaluate(self, observed, expected):
        verdict = super().evaluate(observed, expected)
        if verdict.passed:
            return verdict
        if observed.result is None and verdict.message.startswith(f"{self.what} never returned") \
                and not any(scenarios.MARK.match(x.text) for x in observed.lines):
            return checks.Verdict(False, "The demonstrations that come before the scenarios never finished, so no "
                                  "scenario ran.", verdict.findings)
        try:  # reprs of plain data only: literal_eval never runs code
            got, want = ast.literal_eval(observed.result or ""), ast.literal_eval(expected.result or "")
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return verdict
        if not (isinstance(got, dict) and isinstance(want, dict) and got.keys() == want.keys()):
            return verdict
        differ = [label for label in want if got[label] != want[label]]
        raised = [label for label in differ if not (isinstance(got[label], dict) and "moments" in got[label])]
        if not differ or raised:  # a scenario that raised: Returns says what it raised
            return verdict
        label = differ[0]
        capacity = next((s["capacity"] for s in SCENARIOS if s.label == label), 0)
        try:
            mistake = _mistake(got[label], want[label], capacity)
            moment = _moment_diff(got[label], want[label])
        except (TypeError, ValueError, KeyError, AttributeError):  # an outcome of another shape: say it plainly
            return verdict
        more = f" ({len(differ) - 1} more scenario{'s' if len(differ) > 2 else ''} went another way.)" \
            if len(differ) > 1 else ""
        return checks.Verdict(False, f"With {label}: " + " ".join(x for x in (moment, mistake) if x) + more,
                              verdict.findings)


grader = Grader(
    checks=(checks.Runs(), checks.Output(), checks.Timing(), checks.Order(), ChannelScenarios("the scenario")),
    work=("value_received",),  # a value sent came out at a receiver: the evidence that the channel did any work
    driver=drive,
)
