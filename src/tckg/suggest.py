"""No silent empties: values that match nothing are named, with the values that exist.

One vocabulary for scope across the commands: a scope is an **area** (a ``tck:Place``: its id
``tianyuan``, its Chinese name 天元区 or its English name) or a **plan level** (its notation
``district``, or 区县 / district). :func:`resolve_scope` accepts any of them, case-insensitive,
and returns the one :class:`Scope` they name; the commands then pass the form each one needs
(``tckg track`` the id or notation, the named queries' ``scope`` parameter the Chinese name).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tckg.errors import TckgError
from tckg.vocab.iri import local_name


class NoMatch(TckgError):
    """A value (year, scope, parameter, query name) that matches nothing in the data."""

    exit_code = 2


def did_you_mean(value: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The choices closest to ``value`` (case-insensitive), best first."""
    choices = list(dict.fromkeys(str(c) for c in choices if c))
    lowered = {c.lower(): c for c in choices}
    found = difflib.get_close_matches(value.lower(), list(lowered), n=n, cutoff=0.5)
    prefix = [c for c in choices if c.lower().startswith(value.lower()) and value]
    out = list(dict.fromkeys([*prefix, *(lowered[f] for f in found)]))
    return out[:n]


def hint(value: str, choices: Iterable[str]) -> str:
    """`` Did you mean x?`` or an empty string."""
    close = did_you_mean(value, choices)
    return f" Did you mean {' or '.join(repr(c) for c in close)}? 您是否要找 {'、'.join(close)}？" \
        if close else ""


@dataclass(frozen=True)
class Scope:
    kind: str  # "area" or "plan-level"
    id: str  # place id (tianyuan) or level notation (district)
    zh: str
    en: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, self.zh, self.en)

    def __str__(self) -> str:
        return f"{self.id} ({self.zh})"


def scopes(graph: Any, areas: Any = None, levels: Any = None) -> list[Scope]:
    """Every area that a target or result is measured in, and every plan level targets use.

    ``areas`` and ``levels`` (IRIs), when the caller has them already (one query over a
    corpus instead of a look-up per target), spare the scan; ``graph`` then gives the labels."""
    from rdflib.namespace import RDFS, SKOS

    from tckg.namespaces import TCK

    def label(node: Any, lang: str) -> str:
        for prop in (SKOS.prefLabel, RDFS.label):
            for value in graph.objects(node, prop):
                if getattr(value, "language", None) == lang:
                    return str(value)
        return ""

    def local(node: Any) -> str:
        return local_name(node)

    if areas is None:
        areas = {o for cls in (TCK.Target, TCK.Achievement)
                 for s in graph.subjects(predicate=None, object=cls)
                 for o in graph.objects(s, TCK.refArea)}
    if levels is None:
        levels = {o for s in graph.subjects(predicate=None, object=TCK.Target)
                  for o in graph.objects(s, TCK.planLevel)}
    out = [Scope("area", local(a), label(a, "zh"), label(a, "en")) for a in areas]
    for lv in levels:
        notation = next((str(n) for n in graph.objects(lv, SKOS.notation)), local(lv))
        out.append(Scope("plan-level", notation, label(lv, "zh"), label(lv, "en")))
    return sorted(out, key=lambda s: (s.kind, s.id))


def resolve_scope(value: str, known: list[Scope], *, option: str = "--scope") -> Scope:
    """The scope ``value`` names (id, Chinese or English name, any case) or :class:`NoMatch`."""
    wanted = value.strip().lower()
    for scope in known:
        if wanted in (n.lower() for n in scope.names if n):
            return scope
    names = [n for s in known for n in (s.id, s.zh) if n]
    listing = ", ".join(str(s) for s in known)
    raise NoMatch(f"{option} {value!r} matches no area or plan level in the data; they are: "
                  f"{listing}.{hint(value, [n for s in known for n in s.names if n])} "
                  f"范围 {value!r} 不存在，可用：{'、'.join(names)}。")


def check_year(value: str | int | None, years: Iterable[str], *, what: str = "targets",
               option: str = "--year") -> str | None:
    """``value`` as a four-digit year that the data has, else :class:`NoMatch` with the years."""
    if value is None:
        return None
    text = str(value).strip()
    have = sorted({str(y) for y in years})
    if not (len(text) == 4 and text.isdigit()):
        raise NoMatch(f"{option} must be a four-digit year such as {have[-1] if have else 2023}, "
                      f"not {text!r}; the data has {what} for {', '.join(have) or 'no year'}. "
                      f"年度须为四位数字。")
    if text not in have:
        raise NoMatch(f"{option} {text}: no {what} for {text}; the data has {what} for "
                      f"{', '.join(have) or 'no year'}. {text} 年没有数据，现有年度：{'、'.join(have)}。")
    return text
