"""A whole graph, or a batch of it, in memory: what import produces, export consumes and synth writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.model import NODES, RELS

Row = dict[str, Any]


@dataclass
class Dataset:
    """Rows with canonical Python values: str, int, float, bool, datetime.date, list[str] or None.

    `nodes[label]` rows are keyed by the label's stored property names (`NodeSpec.stored`).
    `links[type]` rows hold `src`, `src_label`, `dst`, `dst_label` (ids and labels of both
    ends) and the relationship's property names (`RelSpec.props`).
    """

    nodes: dict[str, list[Row]] = field(default_factory=lambda: {n.label: [] for n in NODES})
    links: dict[str, list[Row]] = field(default_factory=lambda: {r.type: [] for r in RELS})

    def counts(self) -> dict[str, int]:
        return {**{k: len(v) for k, v in self.nodes.items()}, **{k: len(v) for k, v in self.links.items()}}

    def is_empty(self) -> bool:
        return not any(self.counts().values())
