"""What narrows a reference by name to one node: the township, county, kind of unit, a cadre's birth year.

A county has 幸福村 three times; a link sheet names the village and, in another column, its township.
The words come from the model: a unit's 类型 (社区, 企业, 机关, 事业单位…) picks its label through the
label words (`LABEL`) and the organisation kinds (`ORGANISATION_KIND`), never through a table of its own.
"""

from __future__ import annotations

from typing import Any

from graph.interchange._cells import Bad, parser
from graph.interchange._ids import key_text
from graph.model import LABEL, NODE_BY_LABEL, ORGANISATION_KIND, UNIT_LABELS

# Marks a context property that is a hint, not a fact of the node named: "~township", the row's township on a
# 强村带弱村 sheet for its leader. It prefers the candidates it fits and never rules all of them out.
SOFT = "~"

# Suffixes a ledger writes or leaves out (城东街道, 城东): compared without them only when unambiguous.
_PLACE_SUFFIXES = ("街道办事处", "街道办", "办事处", "街道", "镇", "乡", "县", "区", "市")


def bare_place(folded: str) -> str:
    for suffix in _PLACE_SUFFIXES:
        if folded.endswith(suffix) and len(folded) > len(suffix) + 1:
            return folded[: -len(suffix)]
    return folded


def _label_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for term in LABEL.terms:
        if term.code in UNIT_LABELS:
            for spelling in (term.code, term.zh, term.en):
                words.setdefault(key_text(spelling), term.code)
    for spelling in (*ORGANISATION_KIND.codes, *ORGANISATION_KIND.aliases):
        words.setdefault(key_text(spelling), "Organisation")
    return words


LABEL_WORDS = _label_words()


def unit_label(raw: Any) -> str | None:
    """The label a unit's 类型 cell names: its words exactly, else the one label whose word it holds or is part of.

    社区 is part of 城市社区 (a community); 民营企业 holds 企业 (an enterprise); 国有企业 is an organisation kind.
    """
    word = key_text(raw)
    if not word:
        return None
    found = LABEL_WORDS.get(word)
    if found is not None:
        return found
    near = {label for w, label in LABEL_WORDS.items() if len(w) > 1 and (w in word or word in w)}
    return near.pop() if len(near) == 1 else None


_TIER = parser(NODE_BY_LABEL["Village"].prop("tier"))


def tier_code(raw: Any) -> str | None:
    text = key_text(raw)
    if not text:
        return None
    try:
        found = _TIER.parse(text)
    except Bad:
        return None
    return found if isinstance(found, str) else None


class Places:
    """The townships and counties the nodes have, folded, so that a bare 城东 can be told from 城东街道 and 城东镇.

    A province has 80,000 villages and a link sheet names each with its township: the nodes are indexed
    by place once, and each distinct place a sheet writes is looked up once.
    """

    def __init__(self, facts: dict[str, dict[str, Any]]) -> None:
        self.forms: dict[str, dict[str, set[str]]] = {"township": {}, "county": {}}
        self.at: dict[str, dict[str, set[str]]] = {"township": {}, "county": {}}
        self._found: dict[tuple[str, Any], set[str]] = {}
        for prop, forms in self.forms.items():
            at: dict[Any, set[str]] = {}
            for node_id, fact in facts.items():
                held = fact.get(prop)
                if held is not None:
                    at.setdefault(held, set()).add(node_id)
            for held, ids in at.items():
                place = key_text(held)
                if place:
                    forms.setdefault(bare_place(place), set()).add(place)
                    self.at[prop].setdefault(place, set()).update(ids)

    def same(self, prop: str, wanted: str, held: str) -> bool:
        if wanted == held:
            return True
        bare = bare_place(wanted)
        if bare != bare_place(held) or bare not in (wanted, held):
            return False  # 城东镇 is not 城东街道
        # 城东 for 城东街道 only where no other place (城东镇) is 城东 too.
        return len(self.forms[prop].get(bare, set()) - {bare}) <= 1

    def ids(self, prop: str, raw: Any) -> set[str]:
        """The nodes whose place (of `prop`) is the one a cell writes."""
        found = self._found.get((prop, raw))
        if found is None:
            wanted = key_text(raw)
            bare = bare_place(wanted)
            places = [p for p in self.forms[prop].get(bare, ()) if self.same(prop, wanted, p)]
            found = set().union(*(self.at[prop][p] for p in places))
            self._found[prop, raw] = found
        return found

    def readings(self, prop: str, wanted: str) -> list[str]:
        """The places a bare name (城东) may mean, when it may mean more than one."""
        bare = bare_place(wanted)
        found = sorted(self.forms[prop].get(bare, set()) - {bare}) if wanted == bare else []
        return found if len(found) > 1 else []
