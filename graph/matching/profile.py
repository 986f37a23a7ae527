"""Matching profiles: the weights, limits and rules a planner tunes, read from TOML.

`load_profile()` reads `default_profile.toml` next to this module and merges a user profile over
it (tables key by key, lists replaced), then checks every key and value. Anything unknown or out
of range raises `ConfigError` naming the offending key, so a typo never silently falls back to a
default.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from graph.errors import ConfigError
from graph.model import WEAK_REASONS

DEFAULT_PROFILE_PATH = Path(__file__).with_name("default_profile.toml")

# The score parts, in the order they are summed (a fixed order keeps scores bit-for-bit reproducible).
PARTS: tuple[str, ...] = ("complementarity", "industry", "distance", "locality", "capacity", "kind_fit")
# Kinds of helper unit. Strong villages lead weak ones, so `Village` is a helper kind too.
UNIT_KINDS: tuple[str, ...] = ("CityCommunity", "Enterprise", "Organisation", "Village")

_TOP_KEYS = {"default_capacity", "unmatched_penalty", "excluded", "kept", "weights", "limits", "kind_fit"}
_LIMIT_KEYS = {"max_km", "same_county_only", "k"}

Pair = tuple[str, str]


@dataclass(frozen=True)
class Profile:
    """A checked matching profile.

    `weights` are normalised to sum to 1, so a score stays in [0, 1]. `kind_fit[reason][kind]` is
    in [0, 1]. `excluded` and `kept` hold `(unit_id, village_id)` pairs. `unmatched_penalty` is in
    score units (see default_profile.toml).
    """

    weights: Mapping[str, float]
    max_km: float
    same_county_only: bool
    k: int
    kind_fit: Mapping[str, Mapping[str, float]]
    default_capacity: int
    unmatched_penalty: float
    excluded: frozenset[Pair] = frozenset()
    kept: tuple[Pair, ...] = ()
    source: str = field(default="default", compare=False)


def load_profile(path: str | Path | None = None) -> Profile:
    """The default profile, with the TOML file at `path` (if any) merged over it."""
    defaults = _read_toml(DEFAULT_PROFILE_PATH)
    if path is None:
        return profile_from_mapping(defaults, source=str(DEFAULT_PROFILE_PATH))
    user = _read_toml(Path(path))
    return profile_from_mapping(_merge(defaults, user), source=str(path))


def profile_from_mapping(data: Mapping[str, Any], source: str = "mapping") -> Profile:
    """Check a complete profile mapping (the shape of the TOML file) and build the `Profile`."""
    _no_unknown(data, _TOP_KEYS, "")
    for key in _TOP_KEYS:
        if key not in data:
            raise ConfigError(f"profile key '{key}' is missing")

    weights_raw = _table(data["weights"], "weights")
    _no_unknown(weights_raw, set(PARTS), "weights.")
    weights = {p: _number(weights_raw.get(p, 0.0), f"weights.{p}", low=0.0) for p in PARTS}
    total = math.fsum(weights.values())
    if total <= 0:
        raise ConfigError("weights: at least one weight must be positive")
    weights = {p: w / total for p, w in weights.items()}

    limits = _table(data["limits"], "limits")
    _no_unknown(limits, _LIMIT_KEYS, "limits.")
    for key in _LIMIT_KEYS:
        if key not in limits:
            raise ConfigError(f"profile key 'limits.{key}' is missing")
    max_km = _number(limits["max_km"], "limits.max_km", low=0.0)
    if max_km <= 0 or not math.isfinite(max_km):
        # The distance score is 1 - d / max_km, so max_km is also the distance scale: it must be finite.
        raise ConfigError(f"limits.max_km: must be a positive finite number of km, got {max_km!r}")
    same_county_only = limits["same_county_only"]
    if not isinstance(same_county_only, bool):
        raise ConfigError(f"limits.same_county_only: must be true or false, got {same_county_only!r}")
    k = _integer(limits["k"], "limits.k", low=1)

    kind_fit_raw = _table(data["kind_fit"], "kind_fit")
    _no_unknown(kind_fit_raw, set(WEAK_REASONS), "kind_fit.")
    kind_fit: dict[str, Mapping[str, float]] = {}
    for reason in WEAK_REASONS:
        row = _table(kind_fit_raw.get(reason), f"kind_fit.{reason}")
        _no_unknown(row, set(UNIT_KINDS), f"kind_fit.{reason}.")
        missing = [kind for kind in UNIT_KINDS if kind not in row]
        if missing:
            raise ConfigError(f"kind_fit.{reason}: no value for {', '.join(missing)}")
        kind_fit[reason] = MappingProxyType(
            {kind: _number(row[kind], f"kind_fit.{reason}.{kind}", low=0.0, high=1.0) for kind in UNIT_KINDS}
        )

    default_capacity = _integer(data["default_capacity"], "default_capacity", low=0)
    penalty = _number(data["unmatched_penalty"], "unmatched_penalty", low=0.0)
    if penalty <= 0 or not math.isfinite(penalty):
        raise ConfigError(f"unmatched_penalty: must be a positive finite number, got {penalty!r}")

    excluded = _pairs(data["excluded"], "excluded")
    kept = _pairs(data["kept"], "kept")
    both = sorted(set(excluded) & set(kept))
    if both:
        raise ConfigError(f"kept: pair {list(both[0])} is also in excluded")

    return Profile(
        weights=MappingProxyType(weights),
        max_km=max_km,
        same_county_only=same_county_only,
        k=k,
        kind_fit=MappingProxyType(kind_fit),
        default_capacity=default_capacity,
        unmatched_penalty=penalty,
        excluded=frozenset(excluded),
        kept=tuple(dict.fromkeys(kept)),  # drop repeats, keep the planner's order
        source=source,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise ConfigError(f"cannot read profile {path}: {e.strerror or e}") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"profile {path} is not valid TOML: {e}") from e


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _no_unknown(table: Mapping[str, Any], known: set[str], prefix: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"unknown profile key '{prefix}{unknown[0]}' (known: {', '.join(sorted(known))})")


def _table(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{key}: must be a table, got {value!r}")
    return value


def _number(value: Any, key: str, low: float | None = None, high: float | None = None) -> float:
    # bool is an int subclass; `true` as a weight is a mistake, not 1.0.
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ConfigError(f"{key}: must be a number, got {value!r}")
    number = float(value)
    if low is not None and number < low:
        raise ConfigError(f"{key}: must be at least {low}, got {value!r}")
    if high is not None and number > high:
        raise ConfigError(f"{key}: must be at most {high}, got {value!r}")
    return number


def _integer(value: Any, key: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{key}: must be an integer, got {value!r}")
    if value < low:
        raise ConfigError(f"{key}: must be at least {low}, got {value!r}")
    return value


def _pairs(value: Any, key: str) -> list[Pair]:
    if not isinstance(value, list):
        raise ConfigError(f"{key}: must be a list of [unit_id, village_id] pairs, got {value!r}")
    pairs = []
    for i, item in enumerate(value):
        if not (isinstance(item, list | tuple) and len(item) == 2 and all(isinstance(x, str) and x for x in item)):
            raise ConfigError(f"{key}[{i}]: must be [unit_id, village_id], got {item!r}")
        pairs.append((item[0], item[1]))
    return pairs
