"""本期变化 and trends: what changed between two days, and coverage month by month, from the dated links.

Boundaries, decided once and used by every section: a link is active on a day D when `since <= D` and
(`until` is empty or `until >= D`), as in `graph.gaps`. So between D1 and D2 a link *started* when its
since is in (D1, D2] (not active on D1 for that reason, active from a day up to D2) and *ended* when its
until is in [D1, D2) (active on D1 or later, no longer on D2). A link that begins and ends inside the
period is in both lists; one with its until before its since was never active and is in neither.

Each item says where it comes from: `data` (the links changed) or `rule` (the rules of D1 and D2
differ: the coverage policy, the paper-pairing window). A new gap that D2's rule already finds in D1's
data is a rule change; a closed gap that D2's rule already passes on D1's data is one too.

The gap lists on the two days come from `graph.gaps` (any as-of day), and so does the coverage (the
weak villages less the unpaired ones); the links that changed and the units still active from
`graph/cypher/period/`. The trend reads the weak villages' support spans and the pairings' activity
dates once and judges every month from them (a dozen gap queries would take seconds at province
scale); the tests compare each month with `gaps.coverage` and `gaps.inactive`.

Not yet here: tier changes (摘帽). The model keeps one tier per village, so a village that stops being
weak does not show; `Changes.tier_changes` is the place for them once tiers carry dates, and the gap
lists will then judge each day with the tier of that day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from graph import gaps
from graph.errors import QueryError
from graph.gaps import DEFAULT_POLICY, INACTIVE_AFTER_DAYS, GapRow, InactivePairing, Reader
from graph.model import SUPPORT_KINDS, display

DATA, RULE = "data", "rule"
ORIGINS = (DATA, RULE)
TREND_BY = ("month",)


@dataclass(frozen=True)
class Rule:
    """The rules a day is judged by: the coverage policy and the paper-pairing window (days)."""

    policy: tuple[str, ...] = DEFAULT_POLICY
    days: int = INACTIVE_AFTER_DAYS

    @staticmethod
    def of(policy: str | Iterable[str] | None = None, days: int | None = None) -> Rule:
        return Rule(gaps.parse_policy(policy), INACTIVE_AFTER_DAYS if days is None else days)

    def words(self, lang: str) -> str:
        kinds = "、".join(display(k, lang, "support_kind") for k in self.policy if k in SUPPORT_KINDS)
        if self.policy == DEFAULT_POLICY:
            kinds = "任一帮扶" if lang == "zh" else "any support"
        if lang == "zh":
            return f"覆盖要求：{kinds}；挂名结对：{self.days} 天无活动"
        return f"policy: {kinds}; paper pairing: no activity for {self.days} days"


@dataclass(frozen=True)
class LinkChange:
    """A support link that started or ended in the period, with its partner (unit, leading village, cadre)."""

    kind: str
    partner_label: str
    partner_id: str
    partner: str
    village_id: str
    village: str
    county: str | None
    township: str | None
    tier: str | None
    since: dt.date
    until: dt.date | None
    # A leading village's tier: a lead from a weak village is no support (graph.gaps).
    partner_tier: str | None = None
    role: str | None = None
    # A stationed cadre's sending unit.
    sender_label: str | None = None
    sender_id: str | None = None
    sender: str | None = None
    origin: str = DATA

    def active_on(self, day: dt.date) -> bool:
        return self.since <= day and (self.until is None or self.until >= day)

    def words(self, lang: str, ended: bool) -> str:
        """The link in a planner's words: who, what kind, and the day it ended (or started)."""
        when = (self.until if ended else self.since) or self.since
        on = when.isoformat()
        if lang == "zh":
            verb = "结束" if ended else "开始"
            if self.kind == "station":
                sent = f"（{self.sender}派出）" if self.sender else " "
                return f"驻村干部 {self.partner}{sent}驻村任期于 {on} {verb}"
            who = {"pairing": "结对单位", "lead": "强村", "fusion": "企业"}[self.kind]
            what = display(self.kind, lang, "support_kind")
            return f"{who} {self.partner} 的{what}于 {on} {verb}"
        verb = "ended" if ended else "started"
        if self.kind == "station":
            sent = f" (sent by {self.sender})" if self.sender else ""
            return f"cadre {self.partner}{sent}: term {verb} {on}"
        what = {"pairing": "pairing with", "lead": "lead by", "fusion": "fusion with"}[self.kind]
        return f"{what} {self.partner} {verb} {on}"


@dataclass(frozen=True)
class GapChange:
    """A weak village that became a gap (or stopped being one), why, and the links that made it so."""

    village_id: str
    village: str
    county: str | None
    township: str | None
    weak_reasons: tuple[str, ...]
    # The kinds the policy misses: on D2 for a new gap, on D1 for a closed one.
    missing: tuple[str, ...]
    origin: str
    reason: str
    links: tuple[LinkChange, ...] = ()


@dataclass(frozen=True)
class Rotation:
    """A cadre's station in a village ended and another cadre's began there (轮换)."""

    village_id: str
    village: str
    county: str | None
    township: str | None
    cadre_id: str
    cadre: str
    until: dt.date
    successor_id: str
    successor: str
    since: dt.date
    # Days without either cadre between the two terms (0: handed over the next day; below 0: they overlapped).
    gap_days: int


@dataclass(frozen=True)
class Withdrawal:
    """A unit with active support links in scope on D1 and none on D2 (撤出)."""

    unit_label: str
    unit_id: str
    unit: str
    links_ended: int
    last_until: dt.date
    villages: tuple[str, ...]


@dataclass(frozen=True)
class PaperChange:
    """A paper pairing (挂名结对) that appeared by D2 or went away, with the pairing as listed on its day."""

    unit_label: str
    unit_id: str
    unit: str
    village_id: str
    village: str
    county: str | None
    township: str | None
    since: dt.date
    until: dt.date | None
    last_activity: dt.date | None
    origin: str


@dataclass(frozen=True)
class TownshipChange:
    county: str | None
    township: str | None
    weak_from: int
    covered_from: int
    rate_from: float
    weak_to: int
    covered_to: int
    rate_to: float
    covered_diff: int
    rate_diff: float
    city: str | None = None


@dataclass(frozen=True)
class Changes:
    d1: dt.date
    d2: dt.date
    county: str | None
    township: str | None
    rule_from: Rule
    rule_to: Rule
    new_gaps: list[GapChange]
    closed_gaps: list[GapChange]
    started: list[LinkChange]
    ended: list[LinkChange]
    rotated: list[Rotation]
    withdrawn: list[Withdrawal]
    paper_appeared: list[PaperChange]
    paper_gone: list[PaperChange]
    coverage: list[TownshipChange]
    # Villages whose tier changed: empty until the model keeps tiers with their dates (see the module's doc).
    tier_changes: list[Any] = field(default_factory=list)
    city: str | None = None


# The sections of a report, in order (the CLI's JSON keys and the XLSX sheets).
SECTIONS = (
    "new_gaps",
    "closed_gaps",
    "started",
    "ended",
    "rotated",
    "withdrawn",
    "paper_appeared",
    "paper_gone",
    "coverage",
)


@dataclass(frozen=True)
class TrendPoint:
    month: str
    # The day judged: the month's last day, or D2 in a month still running on D2.
    day: dt.date
    weak: int
    covered: int
    uncovered: int
    paper: int

    @property
    def rate(self) -> float:
        return self.covered / self.weak if self.weak else 1.0


# ---------------------------------------------------------------- helpers


def _period(d1: dt.date | str, d2: dt.date | str) -> tuple[dt.date, dt.date]:
    start, end = gaps.as_date(d1, "from"), gaps.as_date(d2, "to")
    if end <= start:
        raise QueryError(f"the period must end after it begins: from {start.isoformat()} to {end.isoformat()}")
    return start, end


def _scope(county: str | None, township: str | None, city: str | None) -> dict[str, str | None]:
    return {"county": county or None, "township": township or None, "city": city or None}


def _opt(value: Any) -> Any:
    # The query writes '' where a kind has no such column.
    return value if value not in ("", None) else None


def _link(row: dict[str, Any]) -> LinkChange:
    return LinkChange(
        kind=row["kind"],
        partner_label=row["partner_label"],
        partner_id=row["partner_id"],
        partner=row["partner"],
        village_id=row["village_id"],
        village=row["village"],
        county=row["county"],
        township=row["township"],
        tier=row["tier"],
        since=row["since"],
        until=row["until"],
        partner_tier=_opt(row["partner_tier"]),
        role=_opt(row["role"]),
    )


def _link_order(link: LinkChange) -> tuple[Any, ...]:
    return (gaps._text_key(link.county), gaps._text_key(link.township), link.village_id, link.kind, link.partner_id)


def _covers(link: LinkChange) -> bool:
    # A lead covers only from a village that is not weak itself (graph.gaps).
    return link.kind != "lead" or link.partner_tier != "weak"


def links_changed(
    store: Reader,
    d1: dt.date | str,
    d2: dt.date | str,
    county: str | None = None,
    township: str | None = None,
    city: str | None = None,
) -> list[LinkChange]:
    """Support links of villages in scope that started in (D1, D2] or ended in [D1, D2), sorted by place.

    An ended station carries its cadre's sending unit (read for those only: the started ones are many).
    """
    start, end = _period(d1, d2)
    rows = store.read("period/links_changed", {"d1": start, "d2": end, **_scope(county, township, city)})
    # A link whose until is before its since was never active (check/reversed_dates reports it).
    links = [_link(row) for row in rows if row["until"] is None or row["until"] >= row["since"]]
    cadres = sorted({x.partner_id for x in links if x.kind == "station" and x.until is not None and x.until < end})
    if cadres:
        senders = {r["cadre_id"]: r for r in store.read("period/senders", {"ids": cadres})}
        links = [_with_sender(x, senders.get(x.partner_id)) if x.kind == "station" else x for x in links]
    return sorted(links, key=_link_order)


def _with_sender(link: LinkChange, sender: dict[str, Any] | None) -> LinkChange:
    if sender is None:
        return link
    return replace(link, sender_label=sender["sender_label"], sender_id=sender["sender_id"], sender=sender["sender"])


# ---------------------------------------------------------------- the period report


def changes(
    store: Reader,
    d1: dt.date | str,
    d2: dt.date | str,
    county: str | None = None,
    township: str | None = None,
    policy: str | Iterable[str] | None = None,
    days: int | None = None,
    policy_from: str | Iterable[str] | None = None,
    days_from: int | None = None,
    lang: str = "zh",
    city: str | None = None,
) -> Changes:
    """What changed from D1 to D2 in scope: gaps opened and closed (with why), links started and ended,
    cadres rotated, units withdrawn, paper pairings, coverage per township.

    `policy` and `days` are D2's rules; D1 is judged by `policy_from` and `days_from`, the same by default.
    Reasons are worded in `lang` ("zh" or "en").
    """
    start, end = _period(d1, d2)
    rule_to = Rule.of(policy, days)
    rule_from = Rule.of(
        policy if policy_from is None else policy_from, rule_to.days if days_from is None else days_from
    )
    scope = _scope(county, township, city)
    links = links_changed(store, start, end, **scope)

    gaps_from = {g.village_id: g for g in gaps.gaps(store, start, rule_from.policy, **scope)}
    gaps_to = {g.village_id: g for g in gaps.gaps(store, end, rule_to.policy, **scope)}
    # D1's data under D2's rule: what tells a change of rule from a change of data.
    gaps_from_new_rule = (
        gaps_from
        if rule_from.policy == rule_to.policy
        else {g.village_id: g for g in gaps.gaps(store, start, rule_to.policy, **scope)}
    )
    by_village: dict[str, list[LinkChange]] = defaultdict(list)
    for link in links:
        by_village[link.village_id].append(link)

    new_gaps = []
    for vid, row in gaps_to.items():
        if vid in gaps_from:
            continue
        if vid in gaps_from_new_rule:
            new_gaps.append(_rule_gap(row, row.missing, rule_from, rule_to, lang, new=True))
            continue
        ended = [
            link
            for link in by_village[vid]
            if link.kind in row.missing and link.active_on(start) and not link.active_on(end) and _covers(link)
        ]
        new_gaps.append(_data_gap(row, row.missing, ended, lang, ended_links=True))
    closed_gaps = []
    for vid, row in gaps_from.items():
        if vid in gaps_to:
            continue
        if vid not in gaps_from_new_rule:
            closed_gaps.append(_rule_gap(row, row.missing, rule_from, rule_to, lang, new=False))
            continue
        missing = gaps_from_new_rule[vid].missing
        started = [
            link
            for link in by_village[vid]
            if link.kind in missing and link.active_on(end) and not link.active_on(start) and _covers(link)
        ]
        closed_gaps.append(_data_gap(row, missing, started, lang, ended_links=False))

    started_links = [link for link in links if start < link.since <= end]
    ended_links = [link for link in links if link.until is not None and start <= link.until < end]
    paper_appeared, paper_gone = _paper_changes(store, start, end, scope, rule_from, rule_to)
    return Changes(
        d1=start,
        d2=end,
        county=scope["county"],
        township=scope["township"],
        city=scope["city"],
        rule_from=rule_from,
        rule_to=rule_to,
        new_gaps=sorted(new_gaps, key=_gap_order),
        closed_gaps=sorted(closed_gaps, key=_gap_order),
        started=started_links,
        ended=ended_links,
        rotated=rotations(started_links, ended_links),
        withdrawn=_withdrawals(store, start, end, scope, ended_links),
        paper_appeared=paper_appeared,
        paper_gone=paper_gone,
        coverage=_coverage_changes(
            store,
            scope,
            gaps_from.values() if rule_from.policy == DEFAULT_POLICY else gaps.unpaired(store, start, **scope),
            gaps_to.values() if rule_to.policy == DEFAULT_POLICY else gaps.unpaired(store, end, **scope),
        ),
    )


def _gap_order(g: GapChange) -> tuple[Any, ...]:
    return (gaps._text_key(g.county), gaps._text_key(g.township), g.village_id)


def _gap_change(
    row: GapRow, missing: tuple[str, ...], origin: str, reason: str, links: Sequence[LinkChange]
) -> GapChange:
    return GapChange(
        village_id=row.village_id,
        village=row.village,
        county=row.county,
        township=row.township,
        weak_reasons=row.weak_reasons,
        missing=missing,
        origin=origin,
        reason=reason,
        links=tuple(links),
    )


def _data_gap(
    row: GapRow, missing: tuple[str, ...], links: Sequence[LinkChange], lang: str, ended_links: bool
) -> GapChange:
    if links:
        sep = "；" if lang == "zh" else "; "
        said = sep.join(link.words(lang, ended=ended_links) for link in links)
    elif lang == "zh":
        said = "没有找到结束或新建的帮扶关系（记录可能已删除或改动）"
    else:
        said = "no link ended or started in the data (a record may have been deleted or changed)"
    return _gap_change(row, missing, DATA, said, links)


def _rule_gap(row: GapRow, missing: tuple[str, ...], before: Rule, after: Rule, lang: str, new: bool) -> GapChange:
    kinds = "、".join(display(k, lang, "support_kind") for k in missing)
    if lang == "zh":
        verdict = f"按新要求，该村在期初已缺少{kinds}" if new else "按新要求，该村在期初已达标"
        said = f"规则变化（{before.words(lang)} → {after.words(lang)}）：{verdict}"
    else:
        verdict = (
            f"under the new rule the village already lacked {kinds} on D1"
            if new
            else ("under the new rule the village already passed on D1")
        )
        said = f"rule changed ({before.words(lang)} → {after.words(lang)}): {verdict}"
    return _gap_change(row, missing, RULE, said, ())


def rotations(started: Sequence[LinkChange], ended: Sequence[LinkChange]) -> list[Rotation]:
    """Stations that ended in a village paired with another cadre's that began there in the period.

    Each ended station, in the order of its end, takes the unused started station of another cadre in
    that village whose start is nearest the day after its end (ties: the earlier start, then the cadre's id).
    """
    begun: dict[str, list[LinkChange]] = defaultdict(list)
    for link in started:
        if link.kind == "station":
            begun[link.village_id].append(link)
    out = []
    for old in sorted((x for x in ended if x.kind == "station"), key=lambda x: (x.until, x.partner_id)):
        assert old.until is not None
        handover = old.until + dt.timedelta(days=1)
        candidates = [s for s in begun[old.village_id] if s.partner_id != old.partner_id]
        if not candidates:
            continue
        new = min(candidates, key=lambda s: (abs((s.since - handover).days), s.since, s.partner_id))
        begun[old.village_id].remove(new)
        out.append(
            Rotation(
                village_id=old.village_id,
                village=old.village,
                county=old.county,
                township=old.township,
                cadre_id=old.partner_id,
                cadre=old.partner,
                until=old.until,
                successor_id=new.partner_id,
                successor=new.partner,
                since=new.since,
                gap_days=(new.since - handover).days,
            )
        )
    return sorted(out, key=lambda r: (gaps._text_key(r.county), gaps._text_key(r.township), r.village_id, r.until))


def _units_of(link: LinkChange) -> list[tuple[str, str, str]]:
    """The units (label, id, name) whose support a link is: the pairing's or fusion's unit, a cadre's sender."""
    if link.kind in ("pairing", "fusion"):
        return [(link.partner_label, link.partner_id, link.partner)]
    if link.kind == "station" and link.sender_label and link.sender_id:
        return [(link.sender_label, link.sender_id, link.sender or link.sender_id)]
    return []


def _withdrawals(
    store: Reader, start: dt.date, end: dt.date, scope: dict[str, str | None], ended: Sequence[LinkChange]
) -> list[Withdrawal]:
    # A unit with a link active on D1 and none on D2 had every D1 link end within the period: the
    # candidates are the units of those ended links; the query says which still have one active on D2.
    seen: dict[tuple[str, str], list[LinkChange]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    for link in ended:
        if not link.active_on(start):
            continue
        for label, uid, name in _units_of(link):
            seen[(label, uid)].append(link)
            names[(label, uid)] = name
    if not seen:
        return []
    ids = sorted({uid for _, uid in seen})
    still = {
        (r["unit_label"], r["unit_id"]) for r in store.read("period/units_active", {"asof": end, "ids": ids, **scope})
    }
    out = []
    for key, links in seen.items():
        if key in still:
            continue
        out.append(
            Withdrawal(
                unit_label=key[0],
                unit_id=key[1],
                unit=names[key],
                links_ended=len(links),
                last_until=max(link.until for link in links if link.until is not None),
                villages=tuple(sorted({link.village for link in links})),
            )
        )
    return sorted(out, key=lambda w: (w.unit_label, w.unit_id))


def _paper_key(p: InactivePairing) -> tuple[str, str, str, dt.date]:
    return (p.unit_label, p.unit_id, p.village_id, p.since)


def _paper(p: InactivePairing, origin: str) -> PaperChange:
    return PaperChange(
        unit_label=p.unit_label,
        unit_id=p.unit_id,
        unit=p.unit,
        village_id=p.village_id,
        village=p.village,
        county=p.county,
        township=p.township,
        since=p.since,
        until=p.until,
        last_activity=p.last_activity,
        origin=origin,
    )


def _paper_changes(
    store: Reader, start: dt.date, end: dt.date, scope: dict[str, str | None], before: Rule, after: Rule
) -> tuple[list[PaperChange], list[PaperChange]]:
    on_from = {_paper_key(p): p for p in gaps.inactive(store, start, days=before.days, **scope)}
    on_to = {_paper_key(p): p for p in gaps.inactive(store, end, days=after.days, **scope)}
    new_rule = (
        on_from
        if before.days == after.days
        else {_paper_key(p): p for p in gaps.inactive(store, start, days=after.days, **scope)}
    )
    appeared = [_paper(p, RULE if k in new_rule else DATA) for k, p in on_to.items() if k not in on_from]
    gone = [_paper(p, DATA if k in new_rule else RULE) for k, p in on_from.items() if k not in on_to]
    order = lambda p: (gaps._text_key(p.county), gaps._text_key(p.township), p.village_id, p.unit_id, p.since)  # noqa: E731
    return sorted(appeared, key=order), sorted(gone, key=order)


def _coverage_changes(
    store: Reader, scope: dict[str, str | None], uncovered_from: Iterable[GapRow], uncovered_to: Iterable[GapRow]
) -> list[TownshipChange]:
    """Per township, `gaps.coverage`'s weak and covered on both days: covered is any active support whatever
    the policy, so the weak villages less the unpaired ones (one read of the weak villages, not two coverages).

    One tier per village today, so the weak villages are the same on both days; with tier history they will not be.
    """
    # Keyed as gaps.coverage's township rows: a township within its county within its city.
    weak = Counter((r["city"], r["county"], r["township"]) for r in store.read("period/weak_villages", scope))
    left_from = Counter((r.city, r.county, r.township) for r in uncovered_from)
    left_to = Counter((r.city, r.county, r.township) for r in uncovered_to)
    out = []
    for key in sorted(weak, key=lambda k: tuple(gaps._text_key(x) for x in k)):
        n = weak[key]
        covered_from, covered_to = n - left_from[key], n - left_to[key]
        rate_from, rate_to = covered_from / n, covered_to / n
        out.append(
            TownshipChange(
                city=key[0],
                county=key[1],
                township=key[2],
                weak_from=n,
                covered_from=covered_from,
                rate_from=rate_from,
                weak_to=n,
                covered_to=covered_to,
                rate_to=rate_to,
                covered_diff=covered_to - covered_from,
                rate_diff=rate_to - rate_from,
            )
        )
    return out


# ---------------------------------------------------------------- the trend


def month_ends(d1: dt.date | str, d2: dt.date | str) -> list[dt.date]:
    """The days a monthly trend judges: each month's last day from D1's month on, before D2, then D2.

    A month still running on D2 is judged on D2 (the figures as they stand); D2 on a month's last day
    is that month's point. A month ending before D1 is not shown.
    """
    start, end = _period(d1, d2)
    out = []
    year, month = start.year, start.month
    while True:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        if last >= end:
            break
        if last >= start:
            out.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [*out, end]


def trend(
    store: Reader,
    d1: dt.date | str,
    d2: dt.date | str,
    by: str = "month",
    county: str | None = None,
    township: str | None = None,
    days: int = INACTIVE_AFTER_DAYS,
    city: str | None = None,
) -> list[TrendPoint]:
    """Coverage (weak villages, covered: any active support) and the paper-pairing count on each day
    of `month_ends(D1, D2)`, in scope; the same figures as `gaps.coverage` and `gaps.inactive` on those days.
    """
    if by not in TREND_BY:
        raise QueryError(f"trend by {by!r}: choose one of {', '.join(TREND_BY)}")
    if days < 1:
        raise QueryError(f"days must be 1 or more, not {days}")
    points = month_ends(d1, d2)
    first, last = points[0], points[-1]
    scope = _scope(county, township, city)
    weak = {r["village_id"] for r in store.read("period/weak_villages", scope)}
    spans: dict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for r in store.read("period/support_spans", {"from": first, "to": last, **scope}):
        spans[r["village_id"]].append((r["since"], r["until"]))
    pairings = store.read("period/pairing_spans", {"from": first, "to": last, **scope})
    out = []
    for day in points:
        covered = sum(1 for vid in weak if any(s <= day and (u is None or u >= day) for s, u in spans.get(vid, ())))
        out.append(
            TrendPoint(
                f"{day.year:04d}-{day.month:02d}",
                day,
                len(weak),
                covered,
                len(weak) - covered,
                _paper_count(pairings, day, days),
            )
        )
    return out


def _paper_count(pairings: Sequence[dict[str, Any]], day: dt.date, days: int) -> int:
    # The rule of gaps/inactive_pairings: active on the day, begun by the cut-off, and no effective
    # activity (the later of the column and the latest completed activity up to the day) since it.
    cutoff = day - dt.timedelta(days=days)
    count = 0
    for p in pairings:
        if not (p["since"] <= day and (p["until"] is None or p["until"] >= day)) or p["since"] > cutoff:
            continue
        done = max((d for d in p["done"] if d is not None and d <= day), default=None)
        column = p["last_activity"]
        effective = column if done is None or (column is not None and column > done) else done
        if effective is None or effective < cutoff:
            count += 1
    return count


# ---------------------------------------------------------------- periods a department reports on

# The periods a report is made for, in months (a quarter ends in March, June, September, December).
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def last_full(kind: str, asof: dt.date) -> tuple[dt.date, dt.date]:
    """(D1, D2) of the last month, quarter or year complete by `asof`: D1 the day before it begins, D2 its
    last day, so that `changes(D1, D2)` has every link started or ended within it (see the module's doc)."""
    if kind not in PERIOD_MONTHS:
        raise QueryError(f"period {kind!r}: choose one of {', '.join(PERIOD_MONTHS)}")
    months = PERIOD_MONTHS[kind]
    year, month = asof.year, asof.month
    # A month is complete on its last day; one still running on `asof` is not.
    if asof != _month_end(year, month):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    while month % months:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return dt.date(year, month - months + 1, 1) - dt.timedelta(days=1), _month_end(year, month)


# The months a trend shows by default, D2's the last: a one-month period still shows where the year is going.
TREND_MONTHS = 12


def trend_start(d1: dt.date, d2: dt.date, months: int = TREND_MONTHS) -> dt.date:
    """The first day of the trend ending on D2 with `months` monthly points (the first day of the month
    `months - 1` before D2's), or D1 where that is earlier: the page and the 通报 show the same months."""
    index = d2.year * 12 + d2.month - 1 - (months - 1)
    return min(dt.date(index // 12, index % 12 + 1, 1), d1)
