"""The graph's vocabulary: node types (legend order), aliases, node attributes."""

from __future__ import annotations

from tckg.errors import TckgError
from tckg.namespaces import TCK

# type -> (zh, en); the order is the legend's and decides a node's type when it has two classes
NODE_TYPES: dict[str, tuple[str, str]] = {
    "section": ("章", "Section"),
    "review-area": ("回顾部分", "Review area"),
    "task-area": ("任务领域", "Task area"),
    "measure": ("措施", "Measure"),
    "target": ("目标", "Target"),
    "achievement": ("完成情况", "Achievement"),
    "indicator": ("指标", "Indicator"),
    "body": ("责任主体", "Responsible body"),
    "project": ("项目", "Project"),
    "enterprise": ("企业", "Enterprise"),
    "place": ("地区", "Place"),
    "campaign": ("专项活动", "Campaign"),
}
TASK_TYPES = frozenset({"section", "review-area", "task-area", "measure"})
TYPE_ALIASES: dict[str, frozenset[str]] = {
    "task": TASK_TYPES,
    "tasks": TASK_TYPES,
    "observation": frozenset({"target", "achievement"}),
}
CLASS_TYPE = {
    TCK.Section: "section", TCK.ReviewArea: "review-area", TCK.TaskArea: "task-area",
    TCK.Measure: "measure", TCK.Target: "target", TCK.Achievement: "achievement",
    TCK.Indicator: "indicator", TCK.ResponsibleBody: "body", TCK.Project: "project",
    TCK.Enterprise: "enterprise", TCK.Place: "place", TCK.Campaign: "campaign",
}
TYPE_RANK = {t: i for i, t in enumerate(NODE_TYPES)}
# relations outside the tck ontology carry no label there
NODE_ATTRIBUTES = ("type", "label_zh", "label_en", "value", "unit", "unit_en", "year", "quote",
                   "status", "detail_zh", "detail_en")
# a target's verdict, when the caller passes statuses that carry it (tckg.html.Verdict)
VERDICT_ATTRIBUTES = ("result", "gap", "reason_zh", "reason_en", "tasks", "lead")


class GraphFilterError(TckgError):
    """A filter that names no node, several nodes, or an unknown type."""

