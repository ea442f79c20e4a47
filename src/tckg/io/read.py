"""Safe reading of text and RDF source files: byte limits, decoding, XML and JSON-LD checks.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tckg.io.errors import LoadError
from tckg.settings import SETTINGS

# -- decoding and parsing ---------------------------------------------------------------------

def read_text(path: Path, encoding: str | None = None, max_bytes: int | None = None) -> str:
    """Decode a text file: UTF-8 (BOM optional) unless ``encoding`` is named."""
    path = Path(path)
    limit = SETTINGS["max_input_bytes"].value if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise LoadError(path, f"the file is {size:,} bytes, over the limit of {limit:,} "
                            "(setting max_input_bytes); raise it with --max-input-bytes if "
                            "you trust the file.")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(path, "no such file; check the path.") from None
    except IsADirectoryError:
        raise LoadError(path, "is a folder, not a file.") from None
    except OSError as exc:
        raise LoadError(path, f"cannot be read ({exc.strerror}).") from None
    if encoding:
        try:
            return raw.decode(encoding).lstrip("\ufeff")
        except LookupError:
            raise LoadError(path, f"unknown encoding {encoding!r}.") from None
        except UnicodeDecodeError as exc:
            raise LoadError(path, f"is not valid {encoding} at byte {exc.start}.") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = "the file is not UTF-8"
        try:
            raw.decode("gb18030")
            hint = "the file looks like GBK/GB18030 (Chinese Windows) rather than UTF-8"
        except UnicodeDecodeError:
            pass
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError(path, f"{hint}. Convert it to UTF-8, or pass --encoding gb18030 if that "
                        "is its encoding.", line=line) from None


_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def check_xml(path: Path, text: str) -> None:
    match = _DOCTYPE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise LoadError(path, "RDF/XML with a DOCTYPE or ENTITY declaration is refused: entity "
                        "expansion can exhaust memory and external entities read other files. "
                        "Remove the declaration or convert the file to Turtle.", line=line)


def _remote_contexts(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "@context":
                for ctx in value if isinstance(value, list) else [value]:
                    if isinstance(ctx, str):
                        yield ctx
                    elif isinstance(ctx, Mapping) and isinstance(ctx.get("@import"), str):
                        yield ctx["@import"]
            yield from _remote_contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _remote_contexts(item)


def check_jsonld(path: Path, text: str, allow_remote_context: bool) -> None:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(path, f"not valid JSON: {exc.msg}.", exc.lineno, exc.colno) from None
    remote = list(_remote_contexts(doc))
    if remote and not allow_remote_context:
        raise LoadError(path, f"the JSON-LD names a remote @context ({remote[0]}), which would be "
                        "fetched over the network; inline the context, or pass "
                        "--allow-remote-context if you trust that host.")


def _readable(message: str) -> str:
    """rdflib quotes the offending input as Python bytes (b'\\xe7…'); show it as text."""

    def decode(match: re.Match[str]) -> str:
        try:
            return repr(ast.literal_eval(match.group(0)).decode("utf-8", "replace"))
        except (ValueError, SyntaxError):
            return match.group(0)

    return re.sub(r"b'(?:[^'\\]|\\.)*'|b\"(?:[^\"\\]|\\.)*\"", decode, message)


def syntax_error(path: Path, exc: Exception, text: str) -> LoadError:
    msg = _readable(str(exc))
    line: int | None = None
    column = None
    match = re.search(r"at line (\d+)", msg) or re.search(r"line (\d+)", msg)
    if match:
        line = int(match.group(1))
    elif isinstance(getattr(exc, "lines", None), int):
        line = exc.lines + 1  # BadSyntax counts lines from 0
    invalid = re.search(r"Invalid line: (.+)", msg)
    if line is None and invalid:  # the N-Triples parser quotes the line but not its number
        quoted = invalid.group(1).strip().strip("'\"")
        for number, candidate in enumerate(text.splitlines(), 1):
            if candidate.strip() and candidate.strip() in quoted or quoted in candidate:
                line = number
                break
    match = re.search(r"col(?:umn)? (\d+)", msg)
    if match:
        column = int(match.group(1))
    detail = re.sub(r"\s+", " ", msg).strip()
    if len(detail) > 300:
        detail = detail[:300] + "…"
    return LoadError(path, f"is not valid RDF: {detail}. Check the syntax there (a missing '.' "
                     "or ';', an unclosed quote or '<', or an undeclared prefix are the usual "
                     "causes).", line=line, column=column)


