"""The explorer's drawing and the pages' Markdown against hostile names, without a browser (see test_xss_browser).

The drawing: names reach the page only as escaped JSON, the page declares a hash-only CSP that
fetches nothing, and the app shows it only inside `<iframe sandbox="allow-scripts">`. The pages:
every name, place and message value is Markdown-escaped where Streamlit renders Markdown.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import explore, viz
from graph.store import GraphStore, LadybugStore
from graph.synth import REFERENCE_DATE
from graph.ui.i18n import kind_names, t
from graph.ui.text import JOINER, md
from tests.fixtures import app_test, store_file
from tests.security import hostile

PORT = 9  # the payloads' probe port: nothing listens there, nothing is fetched here


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    s = LadybugStore(tmp_path_factory.mktemp("hostile") / "hostile.lbug")
    s.load(hostile.dataset(PORT))
    yield s
    s.close()


def _scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, re.DOTALL)


def _sha(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def _page(store: GraphStore, physics: bool = True) -> str:
    graph = explore.neighbourhood(store, "VX01", 2)
    assert set(graph.nodes) == set(hostile.names(PORT))
    return viz.html_page(graph, REFERENCE_DATE, "VX01", physics, kind_names("zh"), "图例")


@pytest.mark.parametrize("physics", [True, False])
def test_names_reach_the_drawing_only_as_escaped_json(store: GraphStore, physics: bool) -> None:
    page = _page(store, physics)
    # Only our own script blocks; no markup of any name survives: no tag, handler or URL of theirs.
    assert len(_scripts(page)) == (2 if physics else 3)
    for name in hostile.names(PORT).values():
        assert viz.script_json(name)[1:-1] in page
        assert "<" not in name or name not in page
    for tag in ("<img", "<svg", "<iframe", "<details", "<a ", "<b "):
        assert tag not in page.lower()
    assert page.lower().count("<style>") == 3
    assert viz.external_urls(page) == []
    # pyvis' template is not used: nothing can switch tooltips to innerHTML.
    assert "innerHTML" not in page.replace(viz._vis_bundle()[0], "")


def test_script_json_cannot_end_a_script_or_open_a_comment() -> None:
    text = viz.script_json({"name": "</script><!--<script>&\u2028\u2029"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert text == '{"name": "\\u003c/script\\u003e\\u003c!--\\u003cscript\\u003e\\u0026\\u2028\\u2029"}'


def test_the_page_policy_fetches_nothing_and_runs_only_its_own_scripts(store: GraphStore) -> None:
    page = _page(store)
    policy = viz.policy(page)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    for name in ("connect-src", "frame-src", "form-action", "base-uri"):
        assert directives[name] == "'none'"
    assert directives["img-src"] == "data:"
    assert "unsafe" not in policy and "http" not in policy and "*" not in policy
    # Exactly the page's scripts and stylesheets, by hash: anything else (an injected handler too) is refused.
    assert set(directives["script-src"].split()) == {_sha(s) for s in _scripts(page)}
    styles = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    assert set(directives["style-src"].split()) == {_sha(s) for s in styles}
    assert " style=" not in page  # a style attribute would be refused: the legend uses classes
    # The policy comes first: a <meta> policy covers only what follows it.
    assert page.index("Content-Security-Policy") < min(page.index("<style>"), page.index("<script>"))


def test_the_app_shows_the_page_only_in_an_allow_scripts_sandbox(store: GraphStore) -> None:
    page = _page(store)
    wrapper = viz.sandboxed(page, "关系网络")
    frames = re.findall(r"<iframe\b[^>]*?(?=srcdoc=)", wrapper)
    assert frames == ['<iframe sandbox="allow-scripts" title="关系网络" ']
    assert "allow-same-origin" not in wrapper and "<script" not in wrapper
    srcdoc = re.search(r"srcdoc='([^']*)'", wrapper)
    assert srcdoc is not None and html.unescape(srcdoc.group(1)) == page
    # The frame inherits this document's policy: the page's, plus the wrapper's own stylesheet.
    outer = viz.policy(wrapper)
    assert set(viz.policy(page).split()) <= set(outer.split())
    assert "unsafe" not in outer
    with pytest.raises(ValueError):
        viz.sandboxed("<html><body>no policy</body></html>")


@pytest.mark.parametrize(
    "text",
    [
        hostile.MARKDOWN,
        "<img src=x onerror=alert(1)>",
        ":red[红] :material/home: $x^2$ ~~删~~ `code` | a | b | _斜_ __粗__ a_b",
        "# 标题\n- 列表\n1. 一\n> 引用\n---",
        "a&amp;b &#60; http://example.invalid/x www.example.invalid me@example.invalid",
    ],
)
def test_md_escapes_every_markdown_opener(text: str) -> None:
    escaped = md(text)
    # Every character that opens Markdown is preceded by a backslash, and removing them gives the text back.
    unescaped = re.sub(r"\\(.)", r"\1", escaped).replace("  \n", "\n").replace(JOINER, "")
    assert unescaped == "\n".join(line.strip() for line in text.splitlines())
    assert not re.search(r"(?<!\\)[`*\[\]()!<>#|~$:&@]", escaped)
    assert not re.search(r"(?<![\\\w])_|(?<!\\)_(?!\w)", escaped)  # `_` at a word's edge
    for line in escaped.split("  \n"):
        assert not re.match(r"[-+=>]|\d+[.)]", line)
    assert "www\\." in md("www.example.invalid")
    # No autolink literal is left whole (GFM finds them after escapes: the browser test shows it).
    assert md("(http://a.invalid www.b.invalid c@d.invalid") == (
        f"\\(http{JOINER}\\://a.invalid {JOINER}www\\.b.invalid c{JOINER}\\@d.invalid"
    )
    assert md("planner-import planner_elsewhere 2026-01-01") == "planner-import planner_elsewhere 2026-01-01"
    assert md("_斜体_ a_ __粗__") == "\\_斜体\\_ a\\_ \\_\\_粗\\_\\_"


def test_the_details_heading_and_neighbour_buttons_escape_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = store_file(tmp_path / "hostile.lbug", hostile.dataset(PORT), [("admin", "pw-for-tests", "admin")])
    names = hostile.names(PORT)
    kinds = kind_names("zh")
    at = app_test(db, monkeypatch, REFERENCE_DATE, user="admin")
    at.run()
    at.switch_page("graph/ui/explorer.py").run()
    at.text_input(key="explorer_text").input("XSS村").run()
    assert not at.exception
    assert [h.value for h in at.subheader] == [f"{t('explorer.details', 'zh')}: {md(names['VX01'])}"]
    label = at.button(key="focus_CX01").label
    assert label == f"{t('explorer.focus', 'zh')}: {md(names['CX01'] + ' · ' + kinds['CityCommunity'])}"
    # Text searched for is user text too.
    missing = "**无此** ![x](http://example.invalid/y.png)"
    at.text_input(key="explorer_text").input(missing).run()
    assert [w.value for w in at.warning] == [t("explorer.no_results", "zh", text=md(missing))]
