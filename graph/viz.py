"""Draw an explorer `Subgraph` with vis-network: one self-contained HTML page that fetches nothing, trusts no text.

The app runs on networks without Internet access, and node names come from ledgers anyone may
have typed. So the page is built here, not by pyvis' template: pyvis still collects the nodes,
edges and options (`network`), and ships the vis-network bundle we inline, but its template links
Bootstrap from a CDN and switches every tooltip to `innerHTML` as soon as one title contains
"href" — a ledger naming a village `<a href=#></a><img src=x onerror=…>` then ran script in the
app. Here:

- user text reaches the page only as JSON inside our own script (with `<`, `>`, `&` escaped, so it
  cannot end the script), and vis-network shows string titles with `innerText` and draws labels
  on the canvas: names are never parsed as HTML;
- the page carries a Content-Security-Policy (`CSP`): nothing may be fetched, and only the exact
  scripts and stylesheets written here (by hash) run — an injected handler or script would not;
- `sandboxed` wraps the page for Streamlit: Streamlit's own frame is same-origin with the app
  (its sandbox allows same-origin, popups, forms), so the drawing goes one frame deeper, into an
  `<iframe sandbox="allow-scripts">` without `allow-same-origin`: an opaque origin that cannot
  reach the app's DOM, cookies, storage or websocket, open windows, submit forms or navigate the top.

`external_urls` lets the tests prove that nothing is fetched; `offline` strips remote tags from a
page (kept for any pyvis page drawn elsewhere).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyvis
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
_FREEZE = 'network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); });'


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
    """A legend of node kinds and link types; `names` maps kinds and types to the words shown.

    Styled by the classes of `_LEGEND_CSS`, not `style=` attributes: the page's CSP allows only the
    stylesheets it names by hash, and no inline style attribute at all.
    """
    items = []
    for i, kind in enumerate(LEGEND_KINDS):
        items.append(f'<div><span class="sw k{i}"></span> {html.escape(names.get(kind, kind))}</div>')
    for i, rel in enumerate(EDGE_STYLES):
        items.append(f'<div><span class="ln r{i}"></span> {html.escape(names.get(rel, rel))}</div>')
    items.append(f'<div><span class="ln ended"></span> {html.escape(names.get("ended", "ended"))}</div>')
    head = f"<b>{html.escape(title)}</b>" if title else ""
    return f'<div class="pairing-legend" id="legend">{head}{"".join(items)}</div>'


def _legend_css() -> str:
    rules = [
        "#legend{position:absolute;top:8px;right:8px;z-index:10;background:rgba(255,255,255,0.92);"
        "border:1px solid #ccc;border-radius:6px;padding:6px 10px;font:12px sans-serif;line-height:1.6}",
        "#legend .sw{display:inline-block;width:11px;height:11px}",
        "#legend .ln{display:inline-block;width:22px;vertical-align:middle}",
        f"#legend .ended{{border-top:3px solid {DIMMED}}}",
    ]
    for i, kind in enumerate(LEGEND_KINDS):
        style = NODE_STYLES[kind]
        radius = "50%" if style.shape == "dot" else "2px"
        rules.append(f"#legend .k{i}{{border-radius:{radius};background:{style.color}}}")
    for i, edge in enumerate(EDGE_STYLES.values()):
        rules.append(f"#legend .r{i}{{border-top:3px {'dashed' if edge.dashes else 'solid'} {edge.color}}}")
    return "".join(rules)


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


# The vis-network bundle pyvis ships (the version its template inlines).
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
# Every fetch directive is 'none' (default-src) but images from data: URLs (vis-network's stylesheet
# draws its buttons with them); scripts and stylesheets only the listed hashes, so neither an
# injected <script> nor an onerror= handler nor a style= attribute would be applied. base-uri and
# form-action do not fall back to default-src, so they are spelt out. frame-src 'none' does not stop
# the wrapper's srcdoc frame (nothing is fetched for it). (frame-ancestors and sandbox are ignored
# in a <meta> policy: the sandbox is the frame's attribute, see `sandboxed`; framing of the app
# itself is graph.ui.headers'.)
CSP_TEMPLATE = (
    "default-src 'none'; script-src {scripts}; style-src {styles}; img-src data:; "
    "connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'"
)
SANDBOX = "allow-scripts"
_DRAW = """var container = document.getElementById("mynetwork");
var nodes = new vis.DataSet({nodes});
var edges = new vis.DataSet({edges});
var network = new vis.Network(container, {{nodes: nodes, edges: edges}}, {options});"""
_PAGE_CSS = (
    "html,body{{margin:0}}.pairing-frame{{position:relative}}"
    "#mynetwork{{width:100%;height:{height}px;border:1px solid lightgray;position:relative}}"
)
_WRAPPER_CSS = "html,body{margin:0;height:100%;overflow:hidden}iframe{border:0;width:100%;height:100%;display:block}"
_HEAD = '<!DOCTYPE html><html><head><meta charset="utf-8">'
# Anchored at the start: only the policy `_document` wrote counts, never text further in.
_CSP_META = re.compile(re.escape(_HEAD) + r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@functools.cache
def _vis_bundle() -> tuple[str, str]:
    """vis-network's script and stylesheet, read once."""
    return (VIS_DIR / "vis-network.min.js").read_text("utf-8"), (VIS_DIR / "vis-network.css").read_text("utf-8")


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no `<`, `>` or `&` can end it or open a comment.

    U+2028/U+2029 are escaped too (line terminators in older JavaScript).
    """
    text = json.dumps(value, ensure_ascii=False, default=str)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(scripts: Iterable[str], styles: Iterable[str]) -> str:
    """The policy that lets exactly these inline scripts and stylesheets run, and fetches nothing."""
    return CSP_TEMPLATE.format(
        scripts=" ".join(map(_hash, scripts)) or "'none'", styles=" ".join(map(_hash, styles)) or "'none'"
    )


def policy(page: str) -> str:
    """The Content-Security-Policy a page from `html_page` or `sandboxed` declares ("" if none)."""
    match = _CSP_META.match(page)
    return html.unescape(match.group(1)) if match else ""


def _document(policy_text: str, styles: Iterable[str], body: str) -> str:
    head_styles = "".join(f"<style>{s}</style>" for s in styles)
    return (
        f"{_HEAD}"
        # First in <head>: a <meta> policy applies only to what follows it.
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy_text)}">'
        f"{head_styles}</head><body>{body}</body></html>"
    )


def html_page(
    graph: Subgraph,
    asof: dt.date,
    focus: str | None = None,
    physics: bool = True,
    names: Mapping[str, str] | None = None,
    legend_title: str = "",
    height: int = 650,
) -> str:
    """The whole drawing as one offline HTML page with the legend inside it, under a strict CSP.

    Node names and ids reach it only through `script_json`; vis-network shows a string `title` as
    text (`innerText`) and draws labels on the canvas. Show it through `sandboxed`, never directly.
    """
    net = network(graph, asof, focus, physics, names, height)
    vis_js, vis_css = _vis_bundle()
    draw = _DRAW.format(nodes=script_json(net.nodes), edges=script_json(net.edges), options=script_json(net.options))
    scripts = [vis_js, draw] + ([] if physics else [_FREEZE])
    styles = [vis_css, _legend_css(), _PAGE_CSS.format(height=height)]
    # The legend floats over the graph's own container, so it stays beside the drawing at any width.
    body = (
        f'<div class="pairing-frame">{legend_html(names or {}, legend_title)}</div>'
        '<div id="mynetwork"></div>' + "".join(f"<script>{s}</script>" for s in scripts)
    )
    return _document(csp(scripts, styles), styles, body)


def sandboxed(page: str, label: str = "") -> str:
    """A document for `st.iframe` that shows `page` in a frame with no same-origin access.

    Streamlit puts this document in its own frame, same-origin with the app; it holds no script and
    no user text outside the `srcdoc` attribute (escaped, so the page cannot end it). The page runs
    in `<iframe sandbox="allow-scripts">`: an opaque origin, so even script injected into it could
    not read or drive the app (its DOM, cookies, session, websocket), open a window, submit a form
    or navigate the top. A srcdoc frame inherits its parent's CSP on top of its own, so this
    document declares the page's policy too (plus its own stylesheet), which also guards it.
    """
    inner = policy(page)
    if not inner:
        raise ValueError("the page declares no Content-Security-Policy: draw it with html_page")
    # The policy's hashes, with this document's own stylesheet added to the style sources.
    outer = inner.replace("style-src ", f"style-src {_hash(_WRAPPER_CSS)} ", 1)
    # Single-quoted, so double quotes need no escaping (JSON stays readable in the source); & < > '
    # are escaped, which is all an attribute value needs.
    doc = html.escape(page, quote=False).replace("'", "&#x27;")
    title = html.escape(label)
    frame = f'<iframe sandbox="{SANDBOX}" title="{title}" srcdoc=\'{doc}\'></iframe>'
    return _document(outer, [_WRAPPER_CSS], frame)
