"""Run one piece of work in a child process that is killed when its time is up.

SPARQL evaluation and SHACL validation cannot be interrupted from inside Python, so the
commands that offer a time limit (``--query-timeout``, ``--validation-timeout``) run that
work here: the parent waits on a pipe, kills the child at the deadline, and always reaps it,
so nothing is left running. With ``fork`` the child shares the loaded graph for free; the
caller chooses ``spawn`` where fork does not exist and then sends picklable arguments.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import re
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any


class ChildTimeout(Exception):
    """The work ran past its deadline; the child was killed (``pid`` names it)."""

    def __init__(self, pid: int | None) -> None:
        super().__init__(pid)
        self.pid = pid


class ChildFailed(Exception):
    """The work raised, or the child died; ``str()`` says how, in one line."""


def _body(conn: Any, work: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        conn.send(("ok", work(*args)))
    except RecursionError:
        conn.send(("error", "it is nested too deeply to evaluate"))
    except MemoryError:
        conn.send(("error", "it ran out of memory"))
    except BaseException as exc:  # noqa: BLE001 - every failure becomes a message to the parent
        detail = re.sub(r"\s+", " ", str(exc))[:300]
        conn.send(("error", f"{type(exc).__name__}: {detail}"))
    finally:
        conn.close()


def start_method(preferred: str | None = None) -> str:
    methods = multiprocessing.get_all_start_methods()
    if preferred in methods:
        return preferred
    return "fork" if "fork" in methods else "spawn"


def run_in_child(work: Callable[..., Any], args: tuple[Any, ...], *, timeout: float,
                 method: str = "fork", name: str = "tckg-child") -> Any:
    """``work(*args)`` in a child process; its result, or ChildTimeout / ChildFailed."""
    ctx = multiprocessing.get_context(method)
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_body, args=(sender, work, args), daemon=True, name=name)
    proc.start()
    sender.close()  # so that the child's end closing is seen as EOF here
    try:
        if not receiver.poll(timeout):
            raise ChildTimeout(proc.pid)
        try:
            status, payload = receiver.recv()
        except EOFError:
            proc.join()
            raise ChildFailed(f"the process stopped unexpectedly (exit code {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receiver.close()
    if status == "error":
        raise ChildFailed(payload)
    return payload


@contextlib.contextmanager
def time_limit(seconds: float, error: Callable[[], BaseException]) -> Iterator[None]:
    """Raise ``error()`` in this process when the block runs past ``seconds`` (0: no limit).

    For work done here rather than in a child (loading: the parsed graphs stay in this
    process). A ``SIGALRM`` timer interrupts Python code between bytecodes, so rdflib's parsers
    stop; only the main thread of a POSIX process can use it, elsewhere there is no limit.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer") \
            or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise error()

    previous = signal.signal(signal.SIGALRM, expired)
    outer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0] > 0:  # an enclosing limit keeps running
            signal.setitimer(signal.ITIMER_REAL, max(outer[0] - seconds, 0.001))
