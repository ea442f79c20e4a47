"""Safe reading of text and RDF source files: byte limits, decoding, XML and JSON-LD checks.
"""

from __future__ import annotations

import ast
import json
import os
import re
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tckg.io.errors import LoadError
from tckg.settings import SETTINGS

# -- decoding and parsing ---------------------------------------------------------------------

_last_read: list[Path] = []


def refuse_irregular(path: Path, mode: int) -> None:
    """LoadError unless ``mode`` (from ``stat``) is a regular file's."""
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise LoadError(path, "is a folder, not a file.")
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
            "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    raise LoadError(path, f"is {kind}, not a regular file; tckg reads only regular files (a pipe "
                    "or device could block or never end). Save the data to a file and give that.")


def last_read() -> Path | None:
    """The file this process read last: the one being parsed when loading is stopped."""
    return _last_read[-1] if _last_read else None


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` (default: the max_input_bytes setting).

    Only regular files are read (a symlink to one is fine): a FIFO would block forever and a
    device such as ``/dev/zero`` never ends, so both are refused before any byte is read. The
    limit holds while reading, not just by ``stat``: a file that grows past it is refused too.
    """
    path = Path(path)
    _last_read[:] = [path]
    limit = SETTINGS["max_input_bytes"].value if max_bytes is None else max_bytes
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: opening a FIFO must not wait for a writer
    except FileNotFoundError:
        raise LoadError(path, "no such file; check the path.") from None
    except IsADirectoryError:
        raise LoadError(path, "is a folder, not a file.") from None
    except OSError as exc:
        raise LoadError(path, f"cannot be read ({exc.strerror}).") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise LoadError(path, "is a folder, not a file.")
        refuse_irregular(path, info.st_mode)
        if info.st_size > limit:
            raise LoadError(path, f"the file is {info.st_size:,} bytes, over the limit of "
                            f"{limit:,} (setting max_input_bytes); raise it with "
                            "--max-input-bytes if you trust the file.")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise LoadError(path, f"the file grew past the limit of {limit:,} bytes while "
                                "it was read (setting max_input_bytes); raise it with "
                                "--max-input-bytes if you trust the file.")
        return b"".join(chunks)
    except OSError as exc:
        raise LoadError(path, f"cannot be read ({exc.strerror}).") from None
    finally:
        os.close(fd)


def read_text(path: Path, encoding: str | None = None, max_bytes: int | None = None) -> str:
    """Decode a text file: UTF-8 (BOM optional) unless ``encoding`` is named.

    Bytes that are not UTF-8, and UTF-8 that holds NUL characters (UTF-16 or UTF-32 without a
    byte-order mark, which is ASCII-compatible enough to decode), are refused with the likely
    encoding named, or with "unknown" when no guess is good.
    """
    path = Path(path)
    raw = read_bytes(path, max_bytes)
    if encoding:
        try:
            text = raw.decode(encoding).lstrip("\ufeff")
        except LookupError:
            raise LoadError(path, f"unknown encoding {encoding!r}.") from None
        except UnicodeDecodeError as exc:
            # name the line and what to do, as for a file read without --encoding
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                guess: str | None = "utf-16"
            else:
                guess = "utf-8" if _decodes(raw, "utf-8-sig") else likely_encoding(raw)
            fix = (f"it looks like {_NAMES.get(guess, guess.upper())}: pass --encoding {guess}"
                   if guess and guess != encoding.lower() else
                   "check --encoding (leave it out for UTF-8)")
            raise LoadError(path, f"is not valid {encoding} at byte {exc.start:,}; {fix}. "
                            f"文件编码与 --encoding {encoding} 不符。",
                            line=raw[: exc.start].count(b"\n") + 1) from None
        _refuse_nul(path, text, raw, encoding)
        return text
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        bom = "utf-16"
        raise LoadError(path, f"the file is UTF-16 (it starts with a byte-order mark). Convert it "
                        f"to UTF-8, or pass --encoding {bom}.", line=1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError(path, _encoding_hint(raw), line=line) from None
    _refuse_nul(path, text, raw, None)
    return text


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _refuse_nul(path: Path, text: str, raw: bytes, encoding: str | None) -> None:
    at = text.find("\x00")
    if at < 0:
        return
    line = text.count("\n", 0, at) + 1
    if encoding is None:
        raise LoadError(path, _encoding_hint(raw), line=line)
    raise LoadError(path, f"holds a NUL character when read as {encoding}; it is probably in "
                    "another encoding (UTF-16 or UTF-32?). Convert it to UTF-8.", line=line)


def _plausible(text: str) -> float:
    """The share of characters one expects in a report: CJK, ASCII printable, punctuation."""
    if not text:
        return 0.0
    good = 0
    for ch in text:
        o = ord(ch)
        if (0x20 <= o < 0x7F or ch in "\n\r\t" or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F
                or 0xFF00 <= o <= 0xFFEF or 0x3400 <= o <= 0x4DBF or 0x2000 <= o <= 0x206F):
            good += 1
    return good / len(text)


def likely_encoding(raw: bytes) -> str | None:
    """The encoding these bytes most plausibly are in, among UTF-16/32 without a BOM and
    GB18030 (which includes GBK); None when no candidate reads as text."""
    sample = raw[:65536]
    best, score = None, 0.0
    for name in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be", "gb18030"):
        width = 4 if "32" in name else 2 if "16" in name else 1
        chunk = sample[: len(sample) - len(sample) % width]
        try:
            text = chunk.decode(name)
        except UnicodeDecodeError as exc:
            if len(raw) <= len(sample) or exc.start < len(chunk) - 4:
                continue
            text = chunk[: exc.start].decode(name)
        value = _plausible(text)
        if value > score + 0.01:
            best, score = name, value
    return best if score >= 0.9 else None


_NAMES = {"utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE", "utf-32-le": "UTF-32LE",
          "utf-32-be": "UTF-32BE", "gb18030": "GBK/GB18030 (Chinese Windows)"}


def _encoding_hint(raw: bytes) -> str:
    guess = likely_encoding(raw)
    if guess is None:
        return ("the file is not UTF-8, and its encoding is unknown (not GBK/GB18030, not "
                "UTF-16 or UTF-32). Convert it to UTF-8, or pass --encoding with its encoding.")
    without_bom = " without a byte-order mark" if guess.startswith("utf") else ""
    return (f"the file is not UTF-8; it looks like {_NAMES[guess]}{without_bom}. Convert it to "
            f"UTF-8, or pass --encoding {guess} if that is its encoding.")


_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


_XML_ENCODING = re.compile(r"""\A(\s*<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")


def check_xml(path: Path, text: str) -> str:
    """Refuse a DOCTYPE or ENTITY declaration; return the text to hand the XML parser.

    The check runs on the decoded text (so UTF-16 or any other encoding cannot hide a
    DOCTYPE), and the parser then gets that same text as UTF-8: the XML declaration's
    ``encoding`` is rewritten to UTF-8, so a declared ``cp037`` or ``UTF-16`` cannot make the
    parser read other characters than the ones checked.
    """
    match = _DOCTYPE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise LoadError(path, "RDF/XML with a DOCTYPE or ENTITY declaration is refused: entity "
                        "expansion can exhaust memory and external entities read other files. "
                        "Remove the declaration or convert the file to Turtle.", line=line)
    return _XML_ENCODING.sub(lambda m: f'{m.group(1)}"UTF-8"', text, count=1)


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
        remote = list(_remote_contexts(doc))
    except json.JSONDecodeError as exc:
        raise LoadError(path, f"not valid JSON: {exc.msg}.", exc.lineno, exc.colno) from None
    except RecursionError:  # json.loads and the context walk recurse once per level
        raise LoadError(path, "the JSON nests objects or arrays too deeply to read (more levels "
                        "than Python's recursion allows); flatten the nesting, e.g. give the inner "
                        "nodes an @id and list them at the top level. 嵌套过深，无法解析。") from None
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
    return LoadError(path, f"is not valid RDF: {detail}. Check the syntax there "
                     f"({_USUAL_CAUSES.get(Path(path).suffix.lower(), _USUAL_CAUSES['.ttl'])} are "
                     "the usual causes).", line=line, column=column)


# The advice after a syntax error, by format: RDF/XML and JSON-LD files were told to look for
# a missing '.' or an undeclared prefix, which they do not have.
_USUAL_CAUSES = {
    ".ttl": "a missing '.' or ';', an unclosed quote or '<', or an undeclared prefix",
    ".rdf": "an unclosed or misspelt tag, a missing xmlns declaration, or text outside "
            "rdf:Description",
    ".json": "a @context, @id or @type of the wrong kind (a number, a list where one value "
             "belongs) or a key that is no IRI or keyword",
}
_USUAL_CAUSES.update({".trig": _USUAL_CAUSES[".ttl"], ".nt": _USUAL_CAUSES[".ttl"],
                      ".nq": _USUAL_CAUSES[".ttl"], ".owl": _USUAL_CAUSES[".rdf"],
                      ".xml": _USUAL_CAUSES[".rdf"], ".jsonld": _USUAL_CAUSES[".json"]})


