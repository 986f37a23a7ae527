"""The matching engine: proposes partner units for weak villages. Pure computation, no database.

    problem = MatchProblem.from_frames(units_df, villages_df, excluded=current_pairs)
    profile = load_profile("my_profile.toml")        # or load_profile() for the defaults
    result = solve(problem, profile)                  # optimal min-cost flow (OR-Tools)
    result.table                                      # proposals, one row each, with score parts
    result.unmatched                                  # villages left short, with a reason
    stable(problem, village_prefs=..., profile=profile)   # 群众选对: deferred acceptance

Modules: `problem` (inputs), `profile` (TOML settings), `scoring` (score parts), `candidates`
(hard limits, top-k), `kept` (planner's must-have pairs), `solve` (min-cost flow, greedy),
`stable` (deferred acceptance), `result` (output and the unmatched rule), `explain`.
"""

from graph.matching.candidates import Candidates, build_candidates
from graph.matching.explain import Explanation, explain, explain_frame
from graph.matching.geo import haversine_km
from graph.matching.kept import KEPT_REASONS, KeptIssue
from graph.matching.problem import MatchProblem
from graph.matching.profile import PARTS, UNIT_KINDS, Profile, load_profile, profile_from_mapping
from graph.matching.result import PROPOSAL_COLUMNS, UNMATCHED_REASONS, MatchResult, Proposal, Unmatched
from graph.matching.scoring import SCALE, PairScores, Scorer, score_pairs
from graph.matching.solve import SOLVERS, solve
from graph.matching.stable import stable

__all__ = [
    "KEPT_REASONS",
    "PARTS",
    "PROPOSAL_COLUMNS",
    "SCALE",
    "SOLVERS",
    "UNIT_KINDS",
    "UNMATCHED_REASONS",
    "Candidates",
    "Explanation",
    "KeptIssue",
    "MatchProblem",
    "MatchResult",
    "PairScores",
    "Profile",
    "Proposal",
    "Scorer",
    "Unmatched",
    "build_candidates",
    "explain",
    "explain_frame",
    "haversine_km",
    "load_profile",
    "profile_from_mapping",
    "score_pairs",
    "solve",
    "stable",
]
