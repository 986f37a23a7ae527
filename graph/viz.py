"""Draw an explorer `Subgraph` with pyvis, as one self-contained HTML page that fetches nothing.

The app runs on networks without Internet access. pyvis' `cdn_resources="in_line"` inlines
vis-network from the package's bundled `templates/lib`, but its template still links Bootstrap
from a CDN; `offline` strips every external script and stylesheet, and `external_urls` lets the
tests prove nothing is left. pyvis draws no legend, so `legend_html` builds one into the page.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from pyvis.network import Network

from graph.explore import Subgraph


@dataclass(frozen=True)
class NodeStyle:
    color: str
    shape: str


@dataclass(frozen=True)
class EdgeStyle:
    color: str
    dashes: bool


# Villages by tier (the planner's first question is "which are weak"), units and cadres by label.
NODE_STYLES: dict[str, NodeStyle] = {
    "Village:weak": NodeStyle("#d62728", "dot"),
    "Village:ordinary": NodeStyle("#9aa5b1", "dot"),
    "Village:strong": NodeStyle("#2ca02c", "dot"),
    "Village": NodeStyle("#9aa5b1", "dot"),
    "CityCommunity": NodeStyle("#1f77b4", "square"),
    "Enterprise": NodeStyle("#ff7f0e", "diamond"),
    "Organisation": NodeStyle("#9467bd", "triangle"),
    "Cadre": NodeStyle("#17becf", "star"),
}
EDGE_STYLES: dict[str, EdgeStyle] = {
    "PAIRED_WITH": EdgeStyle("#1f77b4", False),
    "LEADS": EdgeStyle("#2ca02c", False),
    "FUSED_WITH": EdgeStyle("#ff7f0e", False),
    "STATIONED_IN": EdgeStyle("#17becf", True),
    "SENT_BY": EdgeStyle("#7f7f7f", True),
}
# Links not active on the as-of date: drawn faint so that current support stands out.
DIMMED = "rgba(160,160,160,0.35)"
LEGEND_KINDS = tuple(k for k in NODE_STYLES if k != "Village")

_EXTERNAL_TAG = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']https?://[^>]*>\s*</script>|<link\b[^>]*\bhref\s*=\s*[\"']https?://[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
# What a browser would fetch: src/href attributes, CSS url() and @import (not SVG namespace strings in JS).
_FETCHED_URL = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']|url\(\s*["']?|@import\s+["'])(https?:)?//[^"')\s]+""",
    re.IGNORECASE,
)


def stabilization_iterations(nodes: int) -> int:
    # vis-network lays out before the first draw; at 1,500 nodes its default 1,000 iterations take
    # tens of seconds in a planner's browser, and a few hundred already untangle the picture.
    if nodes <= 200:
        return 1000
    if nodes <= 600:
        return 300
    return 150


def options(nodes: int) -> dict[str, object]:
    """vis-network options: a force layout that settles in bounded time; physics always lays out first."""
    return {
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -40, "springLength": 60, "avoidOverlap": 0.2},
            "minVelocity": 1.0,
            "stabilization": {"enabled": True, "iterations": stabilization_iterations(nodes), "fit": True},
        },
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False},
        "interaction": {"hover": True, "navigationButtons": False, "tooltipDelay": 150},
    }


# With physics "off" the layout is still computed once, then frozen: without it vis-network would
# leave every node where it was placed at random.
_FREEZE = (
    '<script>network.once("stabilizationIterationsDone", '
    "function () { network.setOptions({physics: false}); });</script>"
)


def node_size(degree: int) -> float:
    # Square root: hubs with hundreds of links must not swallow the drawing.
    return round(10 + 4 * math.sqrt(degree), 1)


def offline(page: str) -> str:
    """The page without any tag that loads a script or stylesheet from another host."""
    return _EXTERNAL_TAG.sub("", page)


def external_urls(page: str) -> list[str]:
    """Every URL in the page that a browser would fetch from another host (tests want none)."""
    return [m.group(0) for m in _FETCHED_URL.finditer(page)]


def legend_html(names: Mapping[str, str], title: str = "") -> str:
    """A legend of node kinds and link types; `names` maps kinds and types to the words shown."""
    items = []
    for kind in LEGEND_KINDS:
        style = NODE_STYLES[kind]
        radius = "50%" if style.shape == "dot" else "2px"
        swatch = f"display:inline-block;width:11px;height:11px;border-radius:{radius};background:{style.color}"
        items.append(f'<div><span style="{swatch}"></span> {html.escape(names.get(kind, kind))}</div>')
    for rel, edge in EDGE_STYLES.items():
        line = f"display:inline-block;width:22px;border-top:3px {'dashed' if edge.dashes else 'solid'} {edge.color}"
        items.append(
            f'<div><span style="{line};vertical-align:middle"></span> {html.escape(names.get(rel, rel))}</div>'
        )
    ended = f"display:inline-block;width:22px;border-top:3px solid {DIMMED};vertical-align:middle"
    items.append(f'<div><span style="{ended}"></span> {html.escape(names.get("ended", "ended"))}</div>')
    head = f"<b>{html.escape(title)}</b>" if title else ""
    box = (
        "position:absolute;top:8px;right:8px;z-index:10;background:rgba(255,255,255,0.92);"
        "border:1px solid #ccc;border-radius:6px;padding:6px 10px;font:12px sans-serif;line-height:1.6"
    )
    return f'<div class="pairing-legend" style="{box}">{head}{"".join(items)}</div>'


def network(
    graph: Subgraph,
    asof: dt.date,
    focus: str | None = None,
    physics: bool = True,
    names: Mapping[str, str] | None = None,
    height: int = 650,
) -> Network:
    """The pyvis network: colour and shape by kind, size by degree, links styled by type and dimmed when ended.

    `physics` is applied by `html_page` (off: the layout is frozen once it has settled).
    """
    names = names or {}
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff")
    degree = graph.degree()
    for node in graph.nodes.values():
        style = NODE_STYLES.get(node.kind, NODE_STYLES["Village"])
        title = f"{node.name} · {names.get(node.kind, node.kind)} · {node.id}"
        net.add_node(
            node.id,
            label=node.name,
            title=title,
            color=style.color,
            shape=style.shape,
            size=node_size(degree[node.id]) * (1.6 if node.id == focus else 1),
            borderWidth=4 if node.id == focus else 1,
        )
    for link in graph.links:
        edge = EDGE_STYLES[link.rel]
        active = link.active_on(asof)
        dates = " – ".join(str(d) for d in (link.since, link.until) if d) if link.since else ""
        net.add_edge(
            link.src,
            link.dst,
            title=f"{names.get(link.rel, link.rel)} {dates}".strip(),
            color=edge.color if active else DIMMED,
            dashes=edge.dashes,
            width=2 if active else 1,
        )
    net.options = options(len(graph.nodes))
    return net


def html_page(
    graph: Subgraph,
    asof: dt.date,
    focus: str | None = None,
    physics: bool = True,
    names: Mapping[str, str] | None = None,
    legend_title: str = "",
    height: int = 650,
) -> str:
    """The whole drawing as one offline HTML page with the legend inside it."""
    net = network(graph, asof, focus, physics, names, height)
    page = offline(net.generate_html())
    if not physics:
        page = page.replace("</body>", _FREEZE + "</body>", 1)
    legend = legend_html(names or {}, legend_title)
    # The legend floats over the graph's own container, so it stays beside the drawing at any width.
    container = '<div id="mynetwork"'
    if container in page:
        page = page.replace(container, f'<div style="position:relative">{legend}</div>{container}', 1)
    else:
        page = page.replace("<body>", f"<body>{legend}", 1)
    return page
