"""The one exception family tckg raises for bad input; the CLI maps it to a message and an exit code."""

from __future__ import annotations


class TckgError(Exception):
    """A problem the user can fix; ``str()`` is a one-paragraph message naming the input.

    ``exit_code`` follows the CLI's convention: 1 the data does not conform or a check
    failed, 2 an input cannot be read or a request is refused.
    """

    exit_code = 2
