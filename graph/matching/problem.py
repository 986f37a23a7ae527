"""The matching input as columnar numpy arrays, built once from the store's DataFrames.

Everything downstream (scoring, candidates, solvers) indexes these arrays by position, so the
frames are checked and encoded here and nowhere else: categorical columns become integer codes,
tag lists become bitsets over one shared vocabulary (so set overlaps are AND + popcount).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from graph.errors import Problem, ValidationError
from graph.matching.profile import UNIT_KINDS
from graph.model import WEAK_REASONS

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BitArray = npt.NDArray[np.uint64]
ObjArray = npt.NDArray[np.object_]

UNIT_COLUMNS = (
    "id",
    "name",
    "kind",
    "county",
    "township",
    "lat",
    "lon",
    "resources",
    "industries",
    "capacity",
    "active",
    "offers",
)
VILLAGE_COLUMNS = (
    "id",
    "name",
    "county",
    "township",
    "lat",
    "lon",
    "needs",
    "industries",
    "weak_reasons",
    "needed",
    "open_needs",
)
# Columns a caller may leave out; they default to missing values (no coordinates, no tags, ...).
_UNIT_REQUIRED = ("id", "kind")
_VILLAGE_REQUIRED = ("id", "needed")

Pair = tuple[str, str]


@dataclass(frozen=True, eq=False)
class MatchProblem:
    """Helper units and weak villages, encoded for vectorised scoring.

    Index `i` of every `unit_*` array is one unit; index `j` of every `village_*` array one village.
    - `*_county` are codes into `counties`, `*_township` codes into `townships` (a township is
      identified together with its county, since names repeat across counties); -1 = unknown.
    - `*_lat`, `*_lon` are degrees, NaN when unknown.
    - `unit_resources`, `unit_industries`, `village_needs`, `village_industries` are bitsets
      (n x words, uint64) over `tags`: bit b set means `tags[b]` is in the list.
    - `unit_offers`, `village_open_needs` are bitsets over `items`: the 三张清单. A unit's resources
      (资源清单) give their kinds and names; a village's open needs (需求清单) give each need's kind,
      or its name where it has no kind (`item_tokens`). Empty where a side has no list: complementarity
      then compares the tag lists (`needs`, `resources`) instead.
    - `unit_kind` indexes `UNIT_KINDS`; `village_reasons` is a bitmask over `graph.model.WEAK_REASONS`.
    - `unit_capacity` is -1 when not recorded (the profile's `default_capacity` then applies);
      `unit_active` counts the unit's active pairings now.
    - `excluded` pairs (unit_id, village_id) are never proposed (pass current pairings here);
      `kept` pairs are proposed first whenever capacity allows.
    """

    unit_id: ObjArray
    unit_name: ObjArray
    unit_kind: IntArray
    unit_county: IntArray
    unit_township: IntArray
    unit_lat: FloatArray
    unit_lon: FloatArray
    unit_resources: BitArray
    unit_industries: BitArray
    unit_capacity: IntArray
    unit_active: IntArray
    village_id: ObjArray
    village_name: ObjArray
    village_county: IntArray
    village_township: IntArray
    village_lat: FloatArray
    village_lon: FloatArray
    village_needs: BitArray
    village_industries: BitArray
    village_reasons: IntArray
    village_needed: IntArray
    tags: tuple[str, ...]
    unit_offers: BitArray
    village_open_needs: BitArray
    items: tuple[str, ...]
    counties: tuple[str, ...]
    townships: tuple[tuple[str, str], ...]
    excluded: frozenset[Pair] = frozenset()
    kept: tuple[Pair, ...] = ()

    @classmethod
    def from_frames(
        cls,
        units: pd.DataFrame,
        villages: pd.DataFrame,
        excluded: Iterable[Pair] = frozenset(),
        kept: Iterable[Pair] = (),
    ) -> MatchProblem:
        """Check and encode the frames; every problem found is reported at once in a `ValidationError`."""
        problems: list[Problem] = []
        u = _with_columns(units, UNIT_COLUMNS, _UNIT_REQUIRED, "units", problems)
        v = _with_columns(villages, VILLAGE_COLUMNS, _VILLAGE_REQUIRED, "villages", problems)
        if problems:
            raise ValidationError(problems)

        unit_id = _ids(u, "units", problems)
        village_id = _ids(v, "villages", problems)
        unit_text = {c: _texts(u[c]) for c in ("name", "kind", "county", "township")}
        village_text = {c: _texts(v[c]) for c in ("name", "county", "township")}
        both = sorted(set(unit_id) & set(village_id))
        for vid in both[:20]:
            problems.append(Problem("villages", None, "id", vid, "id is both a helper unit and a weak village"))

        kind_code = {k: i for i, k in enumerate(UNIT_KINDS)}
        unit_kind = np.full(len(u), -1, dtype=np.int64)
        for i, kind in enumerate(unit_text["kind"]):
            if kind in kind_code:
                unit_kind[i] = kind_code[kind]
            else:
                problems.append(
                    Problem("units", None, "kind", str(kind), f"kind must be one of {', '.join(UNIT_KINDS)}")
                )

        reason_bit = {r: 1 << i for i, r in enumerate(WEAK_REASONS)}
        village_reasons = np.zeros(len(v), dtype=np.int64)
        for j, cell in enumerate(v["weak_reasons"].to_numpy(dtype=object)):
            for reason in _tag_list(cell, "villages", "weak_reasons", problems):
                if reason in reason_bit:
                    village_reasons[j] |= reason_bit[reason]
                else:
                    problems.append(
                        Problem("villages", None, "weak_reasons", reason, f"must be one of {', '.join(WEAK_REASONS)}")
                    )

        unit_lat = _floats(u, "lat", "units", problems, 90.0)
        unit_lon = _floats(u, "lon", "units", problems, 180.0)
        village_lat = _floats(v, "lat", "villages", problems, 90.0)
        village_lon = _floats(v, "lon", "villages", problems, 180.0)
        unit_capacity = _ints(u, "capacity", "units", problems, missing=-1)
        unit_active = _ints(u, "active", "units", problems, missing=0)
        village_needed = _ints(v, "needed", "villages", problems, missing=None)

        # One vocabulary for needs, resources and industries: complementarity compares needs with
        # resources, industry compares industries, and both reduce to AND + popcount on bitsets.
        tag_lists = {
            name: [_tag_list(c, frame, col, problems) for c in df[col].to_numpy(dtype=object)]
            for name, (frame, df, col) in {
                "resources": ("units", u, "resources"),
                "unit_industries": ("units", u, "industries"),
                "needs": ("villages", v, "needs"),
                "village_industries": ("villages", v, "industries"),
            }.items()
        }
        item_lists = {
            "offers": [_items(c, "units", "offers", problems, offer=True) for c in u["offers"].to_numpy(dtype=object)],
            "open_needs": [
                _items(c, "villages", "open_needs", problems, offer=False)
                for c in v["open_needs"].to_numpy(dtype=object)
            ],
        }
        if problems:
            raise ValidationError(problems)
        tags = tuple(sorted({t for lists in tag_lists.values() for tags_ in lists for t in tags_}))
        bits = {name: _bitsets(lists, tags) for name, lists in tag_lists.items()}
        items = tuple(sorted({t for lists in item_lists.values() for tokens in lists for t in tokens}))
        item_bits = {name: _bitsets(lists, items) for name, lists in item_lists.items()}

        county_names = [*unit_text["county"], *village_text["county"]]
        counties = tuple(sorted({c for c in county_names if c is not None}))
        county_code = {c: i for i, c in enumerate(counties)}
        codes = np.array([county_code[c] if c is not None else -1 for c in county_names], dtype=np.int64)
        town_keys = [
            (c, t) if c is not None and t is not None else None
            for c, t in zip(county_names, [*unit_text["township"], *village_text["township"]], strict=True)
        ]
        townships = tuple(sorted({k for k in town_keys if k is not None}))
        town_code = {k: i for i, k in enumerate(townships)}
        town_codes = np.array([town_code[k] if k is not None else -1 for k in town_keys], dtype=np.int64)
        n_units = len(u)

        return cls(
            unit_id=_frozen(np.array(unit_id, dtype=object)),
            unit_name=_frozen(np.array([x or "" for x in unit_text["name"]], dtype=object)),
            unit_kind=_frozen(unit_kind),
            unit_county=_frozen(codes[:n_units]),
            unit_township=_frozen(town_codes[:n_units]),
            unit_lat=_frozen(unit_lat),
            unit_lon=_frozen(unit_lon),
            unit_resources=_frozen(bits["resources"]),
            unit_industries=_frozen(bits["unit_industries"]),
            unit_capacity=_frozen(unit_capacity),
            unit_active=_frozen(unit_active),
            village_id=_frozen(np.array(village_id, dtype=object)),
            village_name=_frozen(np.array([x or "" for x in village_text["name"]], dtype=object)),
            village_county=_frozen(codes[n_units:]),
            village_township=_frozen(town_codes[n_units:]),
            village_lat=_frozen(village_lat),
            village_lon=_frozen(village_lon),
            village_needs=_frozen(bits["needs"]),
            village_industries=_frozen(bits["village_industries"]),
            village_reasons=_frozen(village_reasons),
            village_needed=_frozen(village_needed),
            tags=tags,
            unit_offers=_frozen(item_bits["offers"]),
            village_open_needs=_frozen(item_bits["open_needs"]),
            items=items,
            counties=counties,
            townships=townships,
            excluded=frozenset((str(a), str(b)) for a, b in excluded),
            kept=tuple(dict.fromkeys((str(a), str(b)) for a, b in kept)),
        )

    @property
    def n_units(self) -> int:
        return len(self.unit_id)

    @property
    def n_villages(self) -> int:
        return len(self.village_id)

    @cached_property
    def unit_index(self) -> dict[str, int]:
        return {uid: i for i, uid in enumerate(self.unit_id)}

    @cached_property
    def village_index(self) -> dict[str, int]:
        return {vid: j for j, vid in enumerate(self.village_id)}

    def capacity(self, default_capacity: int) -> IntArray:
        """Each unit's capacity, with `default_capacity` where none is recorded."""
        return np.where(self.unit_capacity < 0, default_capacity, self.unit_capacity)

    def free_capacity(self, default_capacity: int) -> IntArray:
        """Pairings each unit can still take: max(capacity - active, 0)."""
        free: IntArray = np.maximum(self.capacity(default_capacity) - self.unit_active, 0)
        return free

    def tag_names(self, bitset: npt.NDArray[np.uint64]) -> tuple[str, ...]:
        """Decode one row of a bitset back to tag names (for explanations)."""
        return tuple(t for b, t in enumerate(self.tags) if int(bitset[b // 64]) >> (b % 64) & 1)

    def item_names(self, bitset: npt.NDArray[np.uint64]) -> tuple[str, ...]:
        """Decode one row of a list bitset (`unit_offers`, `village_open_needs`) back to its tokens."""
        return tuple(t for b, t in enumerate(self.items) if int(bitset[b // 64]) >> (b % 64) & 1)

    def pair_indices(self, pairs: Iterable[Pair]) -> tuple[IntArray, IntArray]:
        """(village index, unit index) arrays for the (unit_id, village_id) pairs whose ids are both known."""
        vi: list[int] = []
        ui: list[int] = []
        for unit, village in pairs:
            i = self.unit_index.get(unit)
            j = self.village_index.get(village)
            if i is not None and j is not None:
                vi.append(j)
                ui.append(i)
        return np.array(vi, dtype=np.int64), np.array(ui, dtype=np.int64)


def _frozen(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def _with_columns(
    df: pd.DataFrame, columns: Sequence[str], required: Sequence[str], frame: str, problems: list[Problem]
) -> pd.DataFrame:
    missing = [c for c in required if c not in df.columns]
    for c in missing:
        problems.append(Problem(frame, None, c, None, "required column is missing"))
    unknown = [c for c in df.columns if c not in columns]
    for c in unknown:
        problems.append(Problem(frame, None, str(c), None, f"unknown column (expected {', '.join(columns)})"))
    out = df.reset_index(drop=True)
    for c in columns:
        if c not in out.columns:
            out[c] = None
    return out


def _ids(df: pd.DataFrame, frame: str, problems: list[Problem]) -> list[str]:
    ids = _texts(df["id"])
    for i in [i for i, text in enumerate(ids) if text is None]:
        problems.append(Problem(frame, None, "id", None, f"id is empty (row {i + 1} of {len(ids)})"))
    counts = pd.Series([x for x in ids if x is not None], dtype=object).value_counts()
    for text in counts.index[counts.to_numpy() > 1][:20]:
        problems.append(Problem(frame, None, "id", str(text), "id is repeated"))
    return [x or "" for x in ids]


def _texts(column: pd.Series) -> list[str | None]:
    """A column as stripped strings, None where blank."""
    out: list[str | None] = []
    for cell in column.to_numpy(dtype=object):
        if isinstance(cell, str):
            text = cell.strip()
            out.append(text or None)
        elif _is_missing(cell):
            out.append(None)
        else:
            out.append(str(cell).strip() or None)
    return out


def _is_missing(cell: Any) -> bool:
    if cell is None or cell is pd.NA or cell is pd.NaT:
        return True
    return isinstance(cell, float) and math.isnan(cell)


def _text(cell: Any) -> str | None:
    if _is_missing(cell):
        return None
    text = str(cell).strip()
    return text or None


def _tag_list(cell: Any, frame: str, column: str, problems: list[Problem]) -> list[str]:
    if isinstance(cell, list | tuple | np.ndarray):  # the common case first: lists from the store
        items: Iterable[Any] = cell
    elif _is_missing(cell):
        return []
    elif isinstance(cell, str):
        # The interchange format writes lists ';'-separated; accept that spelling too.
        items = cell.split(";")
    elif isinstance(cell, set | frozenset | pd.Series):
        items = list(cell)
    else:
        problems.append(Problem(frame, None, column, str(cell), "must be a list of strings"))
        return []
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            item = item.strip()
            if item and item not in out:
                out.append(item)
        elif not _is_missing(item):
            problems.append(Problem(frame, None, column, str(item), "list items must be strings"))
    return out


def item_tokens(kind: str | None, name: str | None, offer: bool) -> list[str]:
    """The tokens of one list entry: an offer is met by its kind and by its name; a need asks for its kind,
    or for its name where it has none (so that a need and a resource of the same name meet)."""
    kind_token = f"kind:{kind}" if kind else None
    name_token = f"item:{name}" if name else None
    if offer:
        return [t for t in (kind_token, name_token) if t]
    return [kind_token] if kind_token else [name_token] if name_token else []


def _items(cell: Any, frame: str, column: str, problems: list[Problem], offer: bool) -> list[str]:
    """A list of {kind, name} entries (Need or Resource rows) as tokens; blank is no list."""
    if not isinstance(cell, list | tuple | np.ndarray):
        if _is_missing(cell):
            return []
        problems.append(Problem(frame, None, column, str(cell), "must be a list of {kind, name} entries"))
        return []
    out: list[str] = []
    for entry in cell:
        if not isinstance(entry, dict):
            problems.append(Problem(frame, None, column, str(entry), "must be a list of {kind, name} entries"))
            continue
        for token in item_tokens(_text(entry.get("kind")), _text(entry.get("name")), offer):
            if token not in out:
                out.append(token)
    return out


def _numbers(column: pd.Series) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """A column as floats (NaN where blank), and where a non-blank cell was not a number."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        # Already numeric (the store's usual output): nothing can be malformed, only missing.
        values = column.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        return values, np.zeros(len(values), dtype=bool)
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    blank = np.array([_is_missing(c) or (isinstance(c, str) and not c.strip()) for c in column], dtype=bool)
    values[blank] = np.nan
    return values, np.isnan(values) & ~blank


def _floats(df: pd.DataFrame, column: str, frame: str, problems: list[Problem], bound: float) -> FloatArray:
    values, malformed = _numbers(df[column])
    for i in np.flatnonzero(malformed):
        problems.append(Problem(frame, None, column, str(df[column].iloc[i]), "must be a number"))
    with np.errstate(invalid="ignore"):
        for i in np.flatnonzero(np.abs(values) > bound):
            problems.append(
                Problem(frame, None, column, str(df[column].iloc[i]), f"must be between -{bound:g} and {bound:g}")
            )
    return values


def _ints(df: pd.DataFrame, column: str, frame: str, problems: list[Problem], missing: int | None) -> IntArray:
    values, bad = _numbers(df[column])
    nan = np.isnan(values)
    if missing is None:
        bad |= nan
    with np.errstate(invalid="ignore"):
        bad |= ~nan & ((values < 0) | (values != np.floor(values)))
    for i in np.flatnonzero(bad):
        cell = df[column].iloc[i]
        problems.append(
            Problem(frame, None, column, None if _is_missing(cell) else str(cell), "must be a whole number, 0 or more")
        )
    return np.where(nan, -1 if missing is None else missing, np.nan_to_num(values)).astype(np.int64)


def _bitsets(lists: Sequence[Sequence[str]], tags: Sequence[str]) -> BitArray:
    words = max(1, (len(tags) + 63) // 64)
    position = {t: b for b, t in enumerate(tags)}
    out = np.zeros((len(lists), words), dtype=np.uint64)
    # Python ints as wide bitsets, split into uint64 words at the end: far faster than item assignment.
    masks = [sum(1 << position[t] for t in items) for items in lists]
    for w in range(words):
        out[:, w] = np.array([(m >> (64 * w)) & 0xFFFF_FFFF_FFFF_FFFF for m in masks], dtype=np.uint64)
    return out
