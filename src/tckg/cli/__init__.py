"""The ``tckg`` command: a thin layer over the library. The only module that prints and exits.

Exit codes: 0 success (data conforms), 1 the data does not conform or a check failed,
2 an input cannot be read or a request is refused, 3 an internal error (a bug in tckg).
Heavy libraries (pyshacl, pyvis, networkx) are imported inside the commands that need them.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import NoReturn

from tckg.cli.common import app, err, print_error
from tckg.errors import TckgError, environment_problem

__all__ = ["app", "main"]

# Each module registers its commands on import; this order is the order of `tckg --help`.
for _module in ("site", "query", "reports", "track", "endpoints"):
    importlib.import_module(f"tckg.cli.{_module}")


def main() -> None:
    """Entry point: run the app, turning every expected failure into one paragraph and a code."""
    # Output is UTF-8 whatever the locale (a Chinese Windows console defaults to GBK, a bare
    # POSIX locale to ASCII); otherwise printing a Chinese label would crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() != "utf-8":
            stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        app()
    except TckgError as exc:
        print_error(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted; nothing was written half-done.")
        sys.exit(130)
    except RecursionError:
        err.print("error: the input is nested too deeply to process; it may be cyclic or hostile.")
        sys.exit(2)
    except MemoryError:
        err.print("error: out of memory while processing the input; it may be too large.")
        sys.exit(2)
    except OSError as exc:  # the disk is full, read-only, not ours: the user's to fix
        problem = environment_problem(exc)
        if problem is None:
            _internal_error(exc)
        print_error(str(problem))
        sys.exit(problem.exit_code)
    except Exception as exc:  # a bug of ours, not the user's input: say so, keep it short
        _internal_error(exc)


def _internal_error(exc: BaseException) -> NoReturn:
    if os.environ.get("TCKG_DEBUG"):
        raise exc
    err.print(f"internal error: {type(exc).__name__}: {exc}. This is a bug in tckg, not in "
              "your input; rerun with TCKG_DEBUG=1 for the details and report them.",
              markup=False, highlight=False)
    sys.exit(3)


if __name__ == "__main__":
    main()
