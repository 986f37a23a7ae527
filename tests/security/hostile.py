"""A small graph whose every name and shown link property tries to run script, load a remote image or spoof Markdown.

Each payload, if it ran, would leave a trace the tests look for: `window.__pwned` in its own frame,
`top.__pwned` in the app (reachable only from a same-origin frame), `document.title = "pwned"`, a
request to the local probe server, and an `alert` (a dialog).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.dataset import Dataset
from tests.fixtures import seed_dataset

COUNTY = "XSS县"
MARKDOWN = "**粗体** ![x](http://example.invalid/x.png) [link](javascript:alert(1))"


def script(tag: str, port: int) -> str:
    """JavaScript (no double quotes, so it fits an attribute) that leaves every trace, tagged."""
    return (
        f"window.__pwned='{tag}';try{{top.__pwned='{tag}'}}catch(e){{}};document.title='pwned';"
        f"fetch('http://127.0.0.1:{port}/{tag}');alert('{tag}')"
    )


def names(port: int) -> dict[str, str]:
    """Node id -> hostile name; every name starts with "XSS" so that one search finds them all."""
    js = lambda tag: script(tag, port)  # noqa: E731
    return {
        # The issue's payload: "href" switched pyvis' tooltips to innerHTML.
        "VX01": f'XSS村<a href=#></a><img src=x onerror="{js("v1")}">',
        "VX02": f'XSS强村"><script>{js("v2")}</script><svg onload="{js("v2svg")}">',
        "CX01": f"XSS社区 {MARKDOWN} :red[红] :smile: _斜_ www.example.invalid",
        "EX01": f'XSS企业<iframe srcdoc="<script>{js("e1")}</script>"></iframe><a href="javascript:{js("e1a")}">点</a>',
        "OX01": f'XSS组织<img src="http://127.0.0.1:{port}/img-o1"><details open ontoggle="{js("o1")}">',
        "KX01": f"XSS干部</script><script>{js('k1')}</script><style>*{{display:none}}</style>",
    }


def township(port: int) -> str:
    return f'XSS镇<b onmouseover="{script("t1", port)}">粗</b>'


def dataset(port: int) -> Dataset:
    seed = seed_dataset()
    hostile = names(port)
    town = township(port)

    def node(label: str, node_id: str, **values: Any) -> dict[str, Any]:
        template = next(r for r in seed.nodes[label] if r.get("tier", "weak") == values.get("tier", "weak"))
        row = {**template, "id": node_id, "name": hostile[node_id], **values}
        if "county" in template:
            row.update(county=COUNTY, township=town)
        return row

    def link(rel: str, src: str, dst: str, **values: Any) -> dict[str, Any]:
        template = dict(seed.links[rel][0])
        row = {**template, "src": src, "dst": dst, **values}
        if "since" in template:
            row.update(since=dt.date(2024, 1, 1), until=None)
        return row

    data = Dataset()
    data.nodes["Village"] = [node("Village", "VX01", tier="weak"), node("Village", "VX02", tier="strong")]
    data.nodes["CityCommunity"] = [node("CityCommunity", "CX01")]
    data.nodes["Enterprise"] = [node("Enterprise", "EX01", credit_code=None)]
    data.nodes["Organisation"] = [node("Organisation", "OX01")]
    data.nodes["Cadre"] = [node("Cadre", "KX01")]
    data.links["PAIRED_WITH"] = [link("PAIRED_WITH", "CX01", "VX01")]
    data.links["LEADS"] = [link("LEADS", "VX02", "VX01", mode=f'<img src=x onerror="{script("mode", port)}">')]
    data.links["FUSED_WITH"] = [
        link("FUSED_WITH", "EX01", "VX01", joint_party_org=f"<script>{script('jpo', port)}</script>")
    ]
    data.links["STATIONED_IN"] = [link("STATIONED_IN", "KX01", "VX01")]
    data.links["SENT_BY"] = [link("SENT_BY", "KX01", "OX01")]
    return data
