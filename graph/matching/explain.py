"""Why a unit was proposed for a village, in terms a planner can check against the ledger."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from graph.matching.problem import MatchProblem
from graph.matching.profile import PARTS, Profile
from graph.matching.result import MatchResult, Proposal
from graph.model import WEAK_REASONS, display

PART_LABELS = {
    "complementarity": "complementary strengths (优势互补)",
    "industry": "similar industries (产业相近)",
    "distance": "nearness",
    "locality": "same township or county",
    "capacity": "room to take on villages",
    "kind_fit": "kind of unit suits the village's weakness",
}


@dataclass(frozen=True)
class Explanation:
    """A proposal's score taken apart: each part, its weighted contribution, and the facts behind it."""

    village_id: str
    village_name: str
    unit_id: str
    unit_name: str
    unit_kind: str
    score: float
    parts: dict[str, float]
    contributions: dict[str, float]  # weight x part; they sum to the score
    covered_needs: tuple[str, ...]
    uncovered_needs: tuple[str, ...]
    shared_industries: tuple[str, ...]
    weak_reasons: tuple[str, ...]
    distance_km: float | None
    kept: bool

    def text(self) -> str:
        kind = display(self.unit_kind, "en", "label")
        lines = [
            f"{self.unit_name} ({kind}) for {self.village_name}: score {self.score:.3f}"
            + (" [kept by the planner]" if self.kept else "")
        ]
        for part in sorted(PARTS, key=lambda p: -self.contributions[p]):
            lines.append(f"  {self.contributions[part]:.3f} = {self.parts[part]:.2f} x weight, {PART_LABELS[part]}")
        if self.covered_needs or self.uncovered_needs:
            lines.append(
                f"  needs covered: {', '.join(self.covered_needs) or 'none'}"
                f"; not covered: {', '.join(self.uncovered_needs) or 'none'}"
            )
        if self.shared_industries:
            lines.append(f"  shared industries: {', '.join(self.shared_industries)}")
        if self.weak_reasons:
            lines.append(f"  village weak in: {', '.join(display(r, 'en', 'weak_reason') for r in self.weak_reasons)}")
        lines.append(f"  distance: {'unknown' if self.distance_km is None else f'{self.distance_km:.1f} km'}")
        return "\n".join(lines)


def _item_word(token: str) -> str:
    """A list token (`kind:health`, `item:义诊`) as shown: the kind's English word, or the item's name."""
    prefix, _, value = token.partition(":")
    return display(value, "en", "item_kind") if prefix == "kind" else value


def explain(problem: MatchProblem, profile: Profile, proposal: Proposal) -> Explanation:
    """Take one proposal apart; the parts are the ones the solver saw (they are stored on the proposal)."""
    j = problem.village_index[proposal.village_id]
    i = problem.unit_index[proposal.unit_id]
    needs = set(problem.tag_names(problem.village_needs[j]))
    resources = set(problem.tag_names(problem.unit_resources[i]))
    open_needs = problem.item_names(problem.village_open_needs[j])
    offers = problem.item_names(problem.unit_offers[i])
    if open_needs and offers:  # the lists, as the scorer compared them
        needs = {_item_word(t) for t in open_needs}
        met = {_item_word(t) for t in set(open_needs) & set(offers)}
        resources = met
    industries = set(problem.tag_names(problem.village_industries[j])) & set(
        problem.tag_names(problem.unit_industries[i])
    )
    reasons = tuple(r for b, r in enumerate(WEAK_REASONS) if int(problem.village_reasons[j]) >> b & 1)
    return Explanation(
        village_id=proposal.village_id,
        village_name=str(problem.village_name[j]) or proposal.village_id,
        unit_id=proposal.unit_id,
        unit_name=str(problem.unit_name[i]) or proposal.unit_id,
        unit_kind=proposal.unit_kind,
        score=proposal.score,
        parts=dict(proposal.parts),
        contributions={p: profile.weights[p] * proposal.parts[p] for p in PARTS},
        covered_needs=tuple(sorted(needs & resources)),
        uncovered_needs=tuple(sorted(needs - resources)),
        shared_industries=tuple(sorted(industries)),
        weak_reasons=reasons,
        distance_km=proposal.distance_km,
        kept=proposal.kept,
    )


def explain_frame(problem: MatchProblem, profile: Profile, result: MatchResult) -> pd.DataFrame:
    """The proposals table with each part's weighted contribution and a one-line reason, for display."""
    table = result.table.copy()
    for part in PARTS:
        table[f"w_{part}"] = profile.weights[part] * table[part]
    weighted = table[[f"w_{p}" for p in PARTS]].to_numpy()
    top = np.argsort(-weighted, axis=1)[:, :2] if len(table) else np.zeros((0, 2), dtype=np.int64)
    table["why"] = [f"{PART_LABELS[PARTS[a]]}; {PART_LABELS[PARTS[b]]}" for a, b in top]
    return table
