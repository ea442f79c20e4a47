"""Who answers for a target: the accountability chain, read with the named query ``accountability``.

For every target, the report parts that serve it (a measure, a review area, a task area, or
the section or appendix that only states it), whether the link is **stated** by the text
(``tck:statesTarget``) or **inferred** by an analyst (``tck:contributesTo``), the bodies the
text puts in charge of each part (``tck:responsibleBody``) and the projects the part names.

Where the report names no lead, the chain says :data:`NOT_STATED`: the government that issues
the report commits to its targets (``tck:committedBy``) but is never assumed to lead a task.

>>> from tckg.store.load import load_dataset                       # doctest: +SKIP
>>> chains = accountability(load_dataset())                   # doctest: +SKIP
>>> chains[target_iri].lead_text                               # doctest: +SKIP
'not stated'
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tckg.vocab.iri import local_name

NOT_STATED = "not stated"
NOT_STATED_ZH = "未说明"
_PART_ORDER = {"measure": 0, "review-area": 1, "task-area": 2, "section": 3}


@dataclass(frozen=True)
class Link:
    """One report part that serves a target."""

    task: str
    task_kind: str
    task_title: str
    task_area: str | None
    task_area_title: str | None
    link: str  # stated | inferred
    lead_bodies: tuple[str, ...]  # zh labels; empty when the report names none
    lead_body_iris: tuple[str, ...]
    projects: tuple[str, ...]

    @property
    def text(self) -> str:
        """``任务领域 › 措施 (inferred)`` as a line of a table."""
        title = self.task_title or local_name(self.task)
        if self.task_area_title:
            title = f"{self.task_area_title} › {title}"
        return f"{title} ({self.link})"


@dataclass
class Chain:
    """Everything that serves one target, most specific part first."""

    target: str
    links: list[Link] = field(default_factory=list)
    committed_by: str = ""

    @property
    def tasks(self) -> list[Link]:
        """The parts that do the work: measures and review areas, else task areas, else the
        section (or appendix) that states the target."""
        work = [x for x in self.links if x.task_kind != "section"]
        return work or list(self.links)

    @property
    def lead_bodies(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for x in self.tasks:
            for body in x.lead_bodies:
                seen.setdefault(body, None)
        return tuple(seen)

    @property
    def task_text(self) -> str:
        return "；".join(x.text for x in self.tasks) or "—"

    @property
    def lead_text(self) -> str:
        return "、".join(self.lead_bodies) or NOT_STATED

    @property
    def lead_text_zh(self) -> str:
        return "、".join(self.lead_bodies) or NOT_STATED_ZH

    @property
    def projects(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for x in self.tasks:
            for p in x.projects:
                seen.setdefault(p, None)
        return tuple(seen)


def _split(text: Any, sep: str) -> tuple[str, ...]:
    if text is None or str(text) in ("", NOT_STATED):
        return ()
    return tuple(s for s in str(text).split(sep) if s)


def chains_from_rows(rows: Iterable[dict[str, Any]]) -> dict[str, Chain]:
    """Group the rows of the ``accountability`` query by target."""
    out: dict[str, Chain] = {}
    for row in rows:
        target = str(row["target"])
        chain = out.setdefault(target, Chain(target, committed_by=str(row.get("committed_by")
                                                                      or "")))
        chain.links.append(Link(
            task=str(row["task"]), task_kind=str(row.get("task_kind") or ""),
            task_title=str(row.get("task_title") or ""),
            task_area=str(row["task_area"]) if row.get("task_area") else None,
            task_area_title=str(row["task_area_title"]) if row.get("task_area_title") else None,
            link=str(row.get("link") or ""),
            lead_bodies=_split(row.get("lead_bodies"), "、"),
            lead_body_iris=_split(row.get("lead_body_iris"), " "),
            projects=_split(row.get("projects"), "、")))
    for chain in out.values():
        chain.links.sort(key=lambda x: (_PART_ORDER.get(x.task_kind, 9),
                                        x.link != "stated"))
    return out


def accountability(dataset: Any, *, year: str | None = None) -> dict[str, Chain]:
    """Target IRI -> :class:`Chain` for every target of ``dataset`` (a TckDataset or Graph)."""
    from tckg.sparql.run import query

    params = {"year": str(year)} if year else None
    result = query("accountability", dataset, params, timeout=0, max_rows=sys.maxsize)
    # the cells as terms: every one is read with str(), and turning 80,000 rows of them into
    # plain values first (result.rows) cost 15 s at N = 1,000 reports
    return chains_from_rows(dict(zip(result.columns, row, strict=True)) for row in result.terms)
