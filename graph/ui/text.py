"""User text (names, ids, places, usernames, file names, problems, errors) as Streamlit shows it: literally.

Streamlit renders Markdown in `st.markdown`, `st.write`, headings, captions, alerts, toasts, and in the
labels of buttons, checkboxes and other widgets. A ledger name like `**粗体** ![x](http://host/x.png)`
would come out bold with a remote image loaded (a request to any host the name chooses), and
`[link](javascript:…)` as a link. Every piece of user text put into such a string goes through `md`
first; the page's own words (`t(...)`) stay Markdown. Selectbox options and dataframe cells are plain
text in Streamlit and need no escaping (escaping them would show the backslashes).
"""

from __future__ import annotations

import re

# Characters that open Markdown (or Streamlit's extensions) anywhere in a line: emphasis and
# strikethrough, code, links and images, HTML and autolinks, entities, headings, tables, `$…$` maths,
# `:color[…]`/`:material/…:` directives and `http://`/e-mail autolinks. CommonMark lets any ASCII
# punctuation be backslash-escaped, and each then stands for itself.
_ANYWHERE = re.compile(r"([\\`*\[\]()!<>#|~$:&@])")
# `_` emphasises only at a word's edge (CommonMark forbids intraword `_` emphasis, unlike `*`), so
# `planner_elsewhere` stays as typed and `_x_` is escaped.
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# Ones that matter only where a line starts (lists, quotes, setext underlines, "1." lists), and the
# dot of a bare `www.` autolink. Mid-line, as in `planner-import` or 2026-01-01, they are left alone.
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.])")
_WWW = re.compile(r"(www)\.", re.IGNORECASE)
# GFM's autolink literals (http://…, www.…, a@b.c) are found in the text after its escapes are resolved
# (seen in the browser: `http\://host` and `www\.host` still became links), so a backslash does not
# stop them. An invisible WORD JOINER does: between a scheme and its `:`, before `www.` (a literal needs
# a space or punctuation before it) and before an `@`. The text still reads as typed; no link is made.
JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=https)(?=:)|(?<=http)(?=:)|(?<=ftp)(?=:)|(?<=mailto)(?=:)|(?=www\.)|(?=@)", re.I)


def displayed(text: str) -> str:
    """`text` as `md` makes Streamlit show it: as typed, with a word joiner wherever a link would be made of it."""
    return _AUTOLINK.sub(JOINER, text)


def _line(text: str) -> str:
    text = displayed(text.strip())
    text = _UNDERSCORE.sub(r"\\_", _ANYWHERE.sub(r"\\\1", text))
    text = _LINE_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)
    return _WWW.sub(r"\1\\.", text)


def md(value: object) -> str:
    """`value` as text that Streamlit's Markdown shows exactly as written, on one line per line.

    Each line is stripped (leading spaces would make an indented code block after a blank line) and
    lines are joined with Markdown hard breaks, so a multi-line error message keeps its lines.
    """
    return "  \n".join(_line(line) for line in str(value).splitlines() or [""])
