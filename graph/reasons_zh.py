"""A problem's reason in Chinese: a message catalogue, as gettext keeps one, of the English reasons the code writes.

Every `Problem.reason` is written in English where it is found (the CLI prints it as it is). The app speaks
Chinese by default, so its pages show `reason_text(reason, lang)`: each pattern below is one English wording
with its variable parts (numbers, values, names, lists) as named groups, and a Chinese template naming them.
A reason no pattern matches is shown in English, as written.

The variable parts are user data (a cell's value, a sheet's name): they are put in the template as they are,
never parsed again (no `str.format` of user text, no group references in a replacement string). A group whose
name says what it holds is worded in Chinese first: a label, a relationship type, a table, a field, a size, a
nested reason (the "and N more of this kind" summaries).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graph.errors import Problem
from graph.model import NODES, RELS, SUPPORT_KINDS, display

_LABEL_ZH = {n.label: n.zh for n in NODES}
_TABLE_ZH = {n.file: n.zh for n in NODES} | {r.file: r.zh for r in RELS}
# A field's Chinese name: a node's property first, else the first link table's column of that name.
_FIELD_ZH: dict[str, str] = {}
for _prop in [*(p for n in NODES for p in n.stored), *(p for r in RELS for p in r.columns)]:
    if _prop.zh:
        _FIELD_ZH.setdefault(_prop.name, _prop.zh)
# A link type's columns by their Chinese names: "leader" is 强村 in LEADS.
_REL_FIELD_ZH = {r.type: {p.name: p.zh for p in r.columns if p.zh} for r in RELS}
# The names `_sources._LEGACY_NAMES` gives the encodings it recognises.
_ENCODING_ZH = {
    "GB18030 (GBK)": "GB18030（GBK）",
    "Big5 (Traditional Chinese, Taiwan and Hong Kong)": "Big5（繁体中文，台湾、香港地区使用）",
    "Shift-JIS (Japanese)": "Shift-JIS（日文）",
}
# What would tell apart the nodes of one name (`_assemble._telling`).
_TELLING_ZH = {
    "add its township (街道/乡镇) column or write the id": "请加上所属乡镇（街道/乡镇）列，或直接写编号",
    "add the birth year (出生年份) or sending unit (派出单位) column, or write the id": (
        "请加上出生年份或派出单位列，或直接写编号"
    ),
    "add the unit's type (类型) column or write the id": "请加上单位类型（类型）列，或直接写编号",
    "write the id instead": "请改写编号",
}
# What a write looked for (`graph.writes._start_words`; a Cadre's or a Village's words are Chinese already).
_WHAT_ZH = {
    "village": "行政村",
    "need": "需求",
    "resource": "资源",
    "pairing unit (community, enterprise or organisation)": "结对单位（城市社区、企业或机关事业单位）",
}
# Who holds a busy store (`graph.store.locks`): a process by its pid and command, or one it cannot name.
_HOLDER = re.compile(r"process (?P<pid>\d+)(?: \((?P<command>.*)\))?", re.DOTALL)
_HOLDER_ZH = {"another process": "另一个进程", "another thread of this process": "本进程的另一个线程"}
_ACCESS_ZH = {"read": "读取", "write": "写入"}
# Python's own words for an impossible date (`datetime.date`).
_DATE_ZH = {
    "day is out of range for month": "该月没有这一天",
    "month must be in 1..12": "月份应在 1 到 12 之间",
}


def _or_list(text: str) -> str:
    """A list in words, "a, b or c", as "a、b 或 c"."""
    return text.replace(", ", "、").replace(" or ", " 或 ")


def _labels(text: str) -> str:
    """Labels in words, "CityCommunity, Enterprise or Organisation", as "城市社区、企业或机关事业单位"."""
    names = re.split(r", | or ", text)
    said = [_LABEL_ZH.get(n, n) for n in names]
    return said[0] if len(said) == 1 else "、".join(said[:-1]) + "或" + said[-1]


def _table(text: str) -> str:
    zh = _TABLE_ZH.get(text)
    return f"{zh}（{text}）" if zh else text


def _field(text: str) -> str:
    zh = _FIELD_ZH.get(text)
    return f"{zh}（{text}）" if zh else text


def _rel_fields(text: str, rel: str) -> str:
    names = _REL_FIELD_ZH.get(rel, _FIELD_ZH)
    return "、".join(names.get(f, f) for f in text.split(", "))


def _size(text: str) -> str:
    return text.replace(" bytes", " 字节")


def _choices(text: str) -> str:
    """Choices in words, "large, medium, small, micro (or 大型, 中型, …)": the codes as their Chinese words."""
    codes = text.split(" (or ", 1)[0].split(", ")
    return "、".join(dict.fromkeys(display(c, "zh") for c in codes))


def _listed(text: str) -> str:
    """`Resolver._listed`: "V2 in 青山县、东镇, V3 and 12 more" as "V2（青山县、东镇）、V3 等，另有 12 个"."""
    more = re.search(r" and ([\d,]+) more$", text)
    body = text[: more.start()] if more else text
    items = [re.sub(r"^(.+?) in (\S+)$", lambda m: f"{m.group(1)}（{m.group(2)}）", s) for s in body.split(", ")]
    return "、".join(items) + (f" 等，另有 {more.group(1)} 个" if more else "")


def _date_detail(text: str) -> str:
    if text in _DATE_ZH:
        return _DATE_ZH[text]
    year = re.fullmatch(r"year (-?\d+) is out of range", text)
    return f"年份 {year.group(1)} 超出范围" if year else text


# Python's and its libraries' words for a damaged file, the few a clerk meets.
_DETAIL_ZH = {
    "File is not a zip file": "文件不是 ZIP 格式",
    "Bad magic number for central directory": "压缩包目录已损坏",
    "Truncated file header": "文件头不完整",
    "Permission denied": "没有读取权限",
    "No such file or directory": "没有这个文件",
    "Is a directory": "这是一个文件夹",
}


def _detail(text: str) -> str:
    """A library's own message: in Chinese when known, else quoted as it is (it is not ours to word)."""
    return _DETAIL_ZH.get(text) or f"「{text}」"


def _names(text: str) -> str:
    """A list of names a template or file writes as they are (tables, fields, keys): "a、b、c"."""
    return "、".join(text.split(", "))


def _codes(text: str) -> str:
    """Codes as a template writes them, each with its Chinese word: "strong（强村）、weak（后进村）"."""
    said = []
    for code in text.split(", "):
        zh = display(code, "zh")
        said.append(f"{code}（{zh}）" if zh != code else code)
    return "、".join(said)


def _fieldnames(text: str) -> str:
    return "、".join(f"{f}（{_FIELD_ZH[f]}）" if f in _FIELD_ZH else f for f in text.split(", "))


def _encodings(text: str) -> str:
    return " 或 ".join(_ENCODING_ZH.get(e, e) for e in text.split(" or "))


def _county(text: str) -> str:
    return "（空白）" if text == "(blank)" else text


def _holder(text: str) -> str:
    found = _HOLDER.fullmatch(text)
    if found is None:
        return _HOLDER_ZH.get(text, text)
    command = found.group("command")
    return f"进程 {found.group('pid')}" + (f"（{command}）" if command else " ")


# A group's name (trailing digits aside) says how its text is put in Chinese; other groups go in as they are.
_CONVERT: dict[str, Callable[[str], str]] = {
    "labels": _labels,
    "rel": lambda s: display(s, "zh", "rel"),
    "table": _table,
    "field": _field,
    "size": _size,
    "hint": _or_list,
    "readings": _or_list,
    "choices": _choices,
    "listed": _listed,
    "telling": lambda s: _TELLING_ZH.get(s, s),
    "datedetail": _date_detail,
    "encodings": _encodings,
    "county": _county,
    "detail": _detail,
    "names": _names,
    "tables": _names,
    "keys": _names,
    "codes": _codes,
    "fieldnames": _fieldnames,
    "reason": lambda s: reason_text(s, "zh"),
    "state": lambda s: display(s, "zh"),
    "what": lambda s: _WHAT_ZH.get(s, s),
    "role": lambda s: display(s, "zh", "account_role"),
    "holder": _holder,
    "access": lambda s: _ACCESS_ZH.get(s, s),
}

_N = r"(?P<{}>[\d,]+)"
_SIZE = r"(?P<size>[\d,]+ (?:MiB|bytes))"


def _n(name: str) -> str:
    return _N.format(name)


# (English wording as a regular expression, Chinese template). Tried in order: the first that matches the
# whole reason wins, so a narrower wording comes before a wider one.
_CATALOGUE: list[tuple[str, str]] = [
    # --- many problems summed up (_limits.py): first, as the reason they end with may match any pattern ---
    (
        rf"and {_n('count')} more of this kind in this column: (?P<reason>.+)",
        "本列另有 {count} 个同类问题：{reason}",
    ),
    (rf"and {_n('count')} more of this kind in this file: (?P<reason>.+)", "本文件另有 {count} 个同类问题：{reason}"),
    (rf"and {_n('count')} more problems in this column", "本列另有 {count} 个问题"),
    (rf"and {_n('count')} more problems in this file", "本文件另有 {count} 个问题"),
    # --- practical projects and activities (graph/activities.py) ---
    (
        r"no pairing of (?P<unit>.+) with (?P<village>.+) in force on (?P<date>\S+)",
        "{unit} 与 {village} 在 {date} 没有生效的结对关系，不能记录实事项目",
    ),
    (
        r"an activity of (?P<unit>.+) for (?P<village>.+) on (?P<date>\S+) titled (?P<title>.+) already exists",
        "{unit} 在 {date} 为 {village} 开展的实事项目 {title} 已经记录过",
    ),
    (
        r"no activity of (?P<unit>.+) for (?P<village>.+) on (?P<date>\S+) titled (?P<title>.+)",
        "没有 {unit} 在 {date} 为 {village} 开展的实事项目 {title}",
    ),
    (r"(?P<field>\w+) (?P<value>\S+) is less than (?P<low>\S+)", "{field} {value} 不能小于 {low}"),
    (
        r"no pairing unit \(community, enterprise or organisation\) with id (?P<id>.+)",
        "没有编号为 {id} 的结对单位（城市社区、企业或机关事业单位）",
    ),
    (r"no village with id (?P<id>.+)", "没有编号为 {id} 的行政村"),
    (
        r"(?P<id>.+) is a (?P<zh>\S+) \((?P<labelname>\w+)\), "
        r"not a pairing unit \(community, enterprise or organisation\)",
        "{id} 是{zh}，不是结对单位",
    ),
    (
        r"(?P<field>\w+): (?P<value>.+) is not a date \(expected (?P<hint>.+)\)",
        "{field} {value} 不是日期（应写作 {hint}）",
    ),
    (r"until (?P<until>\S+) is before since (?P<since>\S+)", "截止日期 {until} 早于开始日期 {since}"),
    (r"(?P<field>\w+) (?P<value>.+) is not a number", "{field} {value} 不是数字"),
    # --- the account's rights (graph/accounts.authorise), as a write refused in the app says them ---
    (
        r"(?P<action>\S+): (?P<user>.+) may change villages of (?P<counties>.+) only, not county (?P<county>.+)",
        "{user} 只能修改 {counties} 的行政村，不能修改 {county} 的（{action}）",
    ),
    (
        r"(?P<action>\S+): (?P<user>.+) may change villages of (?P<counties>.+) only, not a village with no county",
        "{user} 只能修改 {counties} 的行政村，不能修改未填所属县的行政村（{action}）",
    ),
    (
        r"(?P<action>\S+): (?P<user>.+) is a viewer and may not change anything",
        "{user} 是查看者，不能修改数据（{action}）",
    ),
    (
        r"(?P<action>\S+): only an admin may do this \((?P<user>.+) is a (?P<role>\w+)\)",
        "只有管理员可以这样做（{action}）",
    ),
    (r"(?P<action>\S+): sign in first", "请先登录（{action}）"),
    # --- cells (graph/interchange/_cells.py, _columns.py) ---
    (r"not a date \(expected (?P<hint>.+)\)", "不是日期（应写作 {hint}）"),
    (r"no such date \((?P<datedetail>.+)\)", "没有这个日期（{datedetail}）"),
    (r"year (?P<year>-?\d+) is outside (?P<low>\d+)–(?P<high>\d+)", "年份 {year} 不在 {low}–{high} 年之间"),
    (r"not a whole number", "不是整数"),
    (r"not a finite number", "不是有效的数字"),
    (r"not a number", "不是数字"),
    (r"too large", "数值太大"),
    (r"must not be negative", "不能是负数"),
    (r"must be between (?P<low>\S+) and (?P<high>\S+)", "应在 {low} 到 {high} 之间"),
    (r"must be at least (?P<low>\S+)", "不能小于 {low}"),
    (r"must be at most (?P<high>\S+)", "不能大于 {high}"),
    (
        r"not a yes/no value \(expected true/false, 1/0, 是/否, 有/无, yes/no\)",
        "不是“是/否”（应写作 是/否、有/无、1/0、true/false 或 yes/no）",
    ),
    (r"(?P<bad>.+): not one of (?P<choices>.+)", "「{bad}」不是可选的值（可选：{choices}）"),
    (r"not one of (?P<choices>.+)", "不是可选的值（可选：{choices}）"),
    (r"unsupported cell content \((?P<type>\w+)\)", "无法识别的单元格内容（{type}）"),
    (r"longer than (?P<count>[\d,]+) characters", "超过 {count} 个字符"),
    (r"contains control characters", "含有控制字符（看不见的特殊字符）"),
    (r"(?P<field>\w+) is required", "{field}是必填项，不能为空"),
    # --- references and links (graph/interchange/_assemble.py) ---
    (r"no (?P<labels>[\w ,]+?) has this id or name", "没有编号或名称为此值的{labels}"),
    (
        r"(?P<value>.+) may be (?P<readings>.+): write it in full \((?P<listed>.+)\)",
        "「{value}」可能是 {readings}：请写全称（{listed}）",
    ),
    (
        r"no (?P<labels>[\w ,]+?) of this name in (?P<said>.+) \((?P<listed>.+)\)",
        "{said}没有此名称的{labels}（同名的有：{listed}）",
    ),
    (
        r"(?P<count>\d+) nodes have this name \((?P<listed>.+)\); (?P<telling>.+)",
        "有 {count} 个重名（{listed}）；{telling}",
    ),
    (r"this is a (?P<labels1>\w+), expected (?P<labels2>[\w ,]+)", "这是{labels1}，应为{labels2}"),
    (
        r"duplicate id \(also (?P<file>.+) row (?P<row>\d+)\); ids are unique across all tables",
        "编号重复（{file} 第 {row} 行已用此编号）；所有表中的编号都不能重复",
    ),
    (r"this id already belongs to a (?P<labels>\w+) in the database", "数据库中已有使用此编号的{labels}"),
    (r"links a node to itself", "两端是同一个对象：不能与自己关联"),
    (
        r"duplicate (?P<rel>\w+) link: same (?P<relfields>[\w, ]+) as row (?P<row>\d+)",
        "{rel}关系重复：{relfields}与第 {row} 行相同",
    ),
    (
        r"duplicate (?P<rel>\w+) link: same (?P<relfields>[\w, ]+) as (?P<file>.+) row (?P<row>\d+)",
        "{rel}关系重复：{relfields}与 {file} 第 {row} 行相同",
    ),
    (r"ends before it starts \((?P<date>.+)\)", "结束日期早于开始日期（{date}）"),
    (
        r"no sheet or file is read as a ledger table \((?P<named>.*)\): their headers match none",
        "没有一个工作表或文件能按台账表读取（{named}）：表头都对不上",
    ),
    # --- columns and headers (_detect.py, _normalise.py, _ids.py) ---
    (r"missing required column (?P<name>\w+) \((?P<also>.*)\)", "缺少必填列 {name}（{also}）"),
    (r"column (?P<letter>[A-Z]+) has values but no header", "{letter}列有数据但没有表头"),
    (r"the same column as (?P<header>.+)", "与「{header}」列读作同一字段，重复了"),
    (r"the template's header row is empty", "模板指定的表头行是空行"),
    (r"no table (?P<name>\S+) \(expected one of (?P<tables>.+)\)", "没有 {name} 这张表（应为以下之一：{tables}）"),
    (
        r"the term in (?P<header>.+) \((?P<term>.+)\) ends on another day",
        "「{header}」中的任期（{term}）结束于另一天",
    ),
    (
        r"the same cadre \((?P<cadre>.+)\) as row (?P<row>\d+), which says (?P<mine>.+)",
        "与第 {row} 行是同一名干部（{cadre}），但第 {row} 行写的是「{mine}」",
    ),
    (
        r"a formula with no saved value \(the workbook was not last saved by Excel\): save it in Excel",
        "公式没有保存计算结果（该工作簿最后一次不是用 Excel 保存的）：请用 Excel 打开后保存",
    ),
    (
        r"merged cells (?P<ref>\S+): only the first has the value, the others read as blank: unmerge, fill",
        "合并单元格 {ref}：只有第一格有值，其余格读作空白：请取消合并并填满各格",
    ),
    # --- files, encodings, limits (__init__.py, _sources.py) ---
    (r"no such file or folder", "没有这个文件或文件夹"),
    (
        r"expected a folder of CSV files, an \.xlsx workbook or a \.zip of CSV files",
        "应为存放 CSV 文件的文件夹、.xlsx 工作簿或装有 CSV 文件的 .zip 压缩包",
    ),
    (r"cannot read \((?P<detail>.*)\)", "无法读取（{detail}）"),
    (r"cannot read the file \((?P<detail>.*)\)", "无法读取该文件（{detail}）"),
    (r"cannot unpack \((?P<detail>.*)\)", "无法解压（{detail}）"),
    (r"cannot read line (?P<line>\d+) as CSV \((?P<detail>.*)\)", "第 {line} 行无法按 CSV 读取（{detail}）"),
    (r"cannot read this sheet \((?P<detail>.*)\)", "无法读取此工作表（{detail}）"),
    (r"not a readable ZIP file \((?P<detail>.*)\)", "不是可读取的 ZIP 压缩包（{detail}）"),
    (r"not a readable XLSX workbook \((?P<detail>.*)\)", "不是可读取的 XLSX 工作簿（{detail}）"),
    (r"not an XLSX workbook \((?P<detail>.*)\)", "不是 XLSX 工作簿（{detail}）"),
    (
        r"an old \.xls workbook or a password-protected one; save it as an unprotected \.xlsx",
        "是旧版 .xls 工作簿或设了密码的工作簿：请另存为不加密码的 .xlsx",
    ),
    (
        r"not text in UTF-8 or GB18030 \(GBK\); save it as CSV UTF-8",
        "不是 UTF-8 或 GB18030（GBK）编码的文字：请另存为“CSV UTF-8”格式",
    ),
    (
        r"not UTF-8, and the text could be (?P<encodings>.+): it cannot be told which; save it as CSV UTF-8",
        "不是 UTF-8 编码，可能是 {encodings}，无法判断是哪一种：请另存为“CSV UTF-8”格式",
    ),
    (
        r"looks like text in (?P<encodings>.+), not UTF-8 or GB18030 \(GBK\); save it as CSV UTF-8",
        "看起来是 {encodings} 编码的文字，不是 UTF-8 或 GB18030（GBK）：请另存为“CSV UTF-8”格式",
    ),
    (
        r'a quoted cell \(starting with "\) is never closed, so the rest of the file ran into it',
        '有一个以英文引号（"）开头的单元格没有结束引号，文件后面的内容都被读进了这一格',
    ),
    (
        r"no CSV files here, only (?P<books>.+); give the workbook's own path to read it",
        "这里没有 CSV 文件，只有 {books}：请直接选择该工作簿",
    ),
    (rf"larger than {_SIZE}, more than any ledger needs", "大于 {size}，超出任何台账的需要"),
    (rf"is more than {_SIZE}, more than any ledger needs", "大于 {size}，超出任何台账的需要"),
    (rf"unpacks to more than {_SIZE}, more than any ledger needs", "解压后大于 {size}，超出任何台账的需要"),
    (rf"unpacks to more than {_SIZE}", "解压后大于 {size}"),
    (
        r"holds more than the size the archive declares for it: a damaged or crafted archive",
        "实际内容比压缩包声明的大：压缩包已损坏或是被人为构造的",
    ),
    (
        rf"a line longer than {_n('count')} bytes, longer than any ledger row",
        "有一行超过 {count} 字节，比任何台账的一行都长",
    ),
    (
        rf"holds a cell or text longer than {_n('count')} bytes, longer than any ledger cell",
        "有单元格或文字超过 {count} 字节，比任何台账的单元格都长",
    ),
    (rf"its part (?P<part>.+) is larger than {_SIZE}", "其中的部件 {part} 大于 {size}"),
    (
        rf"holds more than {_n('count')} different texts, more than any ledger needs",
        "含有超过 {count} 个不同的文字，超出任何台账的需要",
    ),
    (
        rf"more than {_n('count')} rows, more than any ledger table needs; split it",
        "超过 {count} 行，超出任何台账表的需要：请拆分",
    ),
    (
        rf"row (?P<row>\d+) has more than {_n('count')} cells, more than any ledger table needs",
        "第 {row} 行超过 {count} 个单元格，超出任何台账表的需要",
    ),
    (
        rf"more than {_n('count')} cells, more than any ledger table needs; split it",
        "超过 {count} 个单元格，超出任何台账表的需要：请拆分",
    ),
    (
        rf"the ledger holds more than {_n('count')} cells in all \({_n('before')} before this file\); split it",
        "整个台账超过 {count} 个单元格（此文件之前已有 {before} 个）：请拆分",
    ),
    (
        r"its merged ranges overlap, which Excel never writes: a damaged or crafted workbook",
        "合并单元格区域相互重叠（Excel 不会这样保存）：工作簿已损坏或是被人为构造的",
    ),
    # --- links by hand (graph/writes.py) and the accounts' rights (graph/accounts.py authorise) ---
    (r"no (?P<what>.+?) with id (?P<id>.+)", "没有编号为 {id} 的{what}"),
    (r"(?P<id>.+) is a (?P<zh>\S+) \((?P<label>\w+)\), not a (?P<what>.+)", "{id} 是{zh}，不是{what}"),
    (
        r"a (?P<rel>\w+) link from (?P<src>.+) to (?P<village>.+) starting (?P<since>\S+) already exists",
        "{src} 到 {village} 的{rel}关系（开始日期 {since}）已存在",
    ),
    (
        r"no (?P<rel>\w+) link from (?P<src>.+) to (?P<village>.+) starting (?P<since>\S+) open on"
        r" (?P<until>\S+) \(it may not exist, or ended already\)",
        "没有 {src} 到 {village}、开始日期为 {since}、在 {until} 仍有效的{rel}关系（可能不存在，或已结束）",
    ),
    (
        r"no (?P<rel>\w+) link from (?P<src>.+) to (?P<village>.+) open on (?P<until>\S+)"
        r" \(it may not exist, or ended already\)",
        "没有 {src} 到 {village}、在 {until} 仍有效的{rel}关系（可能不存在，或已结束）",
    ),
    (
        r"no (?P<rel>\w+) link from (?P<src>.+) to (?P<village>.+) starting (?P<since>\S+)",
        "没有 {src} 到 {village}、开始日期为 {since} 的{rel}关系",
    ),
    (r"no (?P<rel>\w+) link from (?P<src>.+) to (?P<village>.+)", "没有 {src} 到 {village} 的{rel}关系"),
    (
        r"(?P<count>\d+) (?P<rel>\w+) link from (?P<src>.+) to (?P<village>.+) \(since (?P<starts>.+)\):"
        r" say which by its since",
        "{src} 到 {village} 有 {count} 条{rel}关系（开始日期 {starts}）：请指明开始日期",
    ),
    # A support kind (graph.writes); a need's or a resource's kind has its own wording below.
    (
        rf"kind (?P<kind>.+): choose one of (?P<codes>{', '.join(SUPPORT_KINDS)})",
        "没有 {kind} 这种帮扶方式：应为 {codes}",
    ),
    (r"project status (?P<value>.+): choose one of (?P<codes>.+)", "项目状态 {value} 不可用，应为以下之一：{codes}"),
    (r"(?P<field>\w+) (?P<value>.+) is out of range", "{field}的值 {value} 超出范围"),
    (
        r"(?P<field>\w+): (?P<value>.+) is not a date \(expected YYYY-MM-DD\)",
        "{field}：{value} 不是日期（应写作 YYYY-MM-DD）",
    ),
    (
        r"a (?P<rel>\w+) link has no (?P<fieldnames>.+); its properties: (?P<fieldnames2>.+)",
        "{rel}关系没有 {fieldnames}；它的属性有：{fieldnames2}",
    ),
    (r"village (?P<id>.+) cannot lead itself", "行政村 {id} 不能带领自己"),
    (
        r"unit (?P<unit>.+) is full: (?P<active>\d+) pairing\(s\) over that span and a capacity of"
        r" (?P<capacity>\d+)",
        "结对单位 {unit} 已满：这段时间内已有 {active} 个结对，可结对数为 {capacity}",
    ),
    (
        r"since is part of a link's identity and cannot be changed: delete the link, then create the right one",
        "开始日期是关系的标识，不能修改：请删除这条关系，再按正确的开始日期新建",
    ),
    (r"nothing to change: name at least one property", "没有要修改的内容：请至少指定一项属性"),
    (
        r"(?P<action>[\w.-]+): account (?P<user>.+) has the unknown role (?P<value>.+)",
        "{action}：账户 {user} 的角色 {value} 未知",
    ),
    # --- the embedded store shared by many processes (graph/store/locks.py) ---
    (
        r"the store (?P<store>.+) is busy: (?P<holder>.+) is writing it, and this (?P<access>read|write) waited"
        r" (?P<seconds>[\d.]+) s for it; try again once it has finished",
        "数据库 {store} 正忙：{holder}正在写入，本次{access}已等待 {seconds} 秒；请等它完成后再试",
    ),
    # --- the load (graph/ledger.py, graph/import_changes.py) ---
    (
        r"the ledger holds no rows in any table \(no known table, or only header rows\); refused, because loading it"
        r" would change nothing, and replacing with it would delete everything",
        "台账的各表都没有数据行（没有可识别的表，或只有表头）：已拒绝，因为导入它什么也不会改变，用它替换则会删除全部数据",
    ),
    (
        r"(?P<what>.+?): (?P<reason>.+); a replace of (?P<county>.+) takes only that county's rows",
        "{what}：{reason}；替换{county}只导入该县的行",
    ),
    (
        r"of county (?P<county1>.+) in the store, not (?P<county2>.+)",
        "数据库中属于{county1}，不属于{county2}",
    ),
    (r"of county (?P<county1>.+), not (?P<county2>.+)", "属于{county1}，不属于{county2}"),
    (
        r"reaches village (?P<village>.+) of county (?P<county1>.+), not (?P<county2>.+)",
        "关联的行政村 {village} 属于{county1}，不属于{county2}",
    ),
    (
        r"reaches unit (?P<unit>.+) of county (?P<county1>.+), not (?P<county2>.+)",
        "关联的单位 {unit} 属于{county1}，不属于{county2}",
    ),
    (
        r"reaches an item of (?P<owner>.+) of county (?P<county1>.+), not (?P<county2>.+)",
        "关联的需求（资源）属于 {owner}，在{county1}，不属于{county2}",
    ),
    # --- templates (graph/interchange/_template.py) ---
    (r"not valid TOML: (?P<detail>.+)", "不是有效的 TOML 格式：{detail}"),
    (r"not UTF-8 text: save it as UTF-8", "不是 UTF-8 编码的文字：请另存为 UTF-8"),
    (r"not UTF-8 text", "不是 UTF-8 编码的文字"),
    (r"unknown table \[(?P<key>.+)\] \(expected (?P<keys>.+)\)", "未知的节 [{key}]（应为 {keys}）"),
    (r"unknown field (?P<key>.+) \(expected (?P<keys>.+)\)", "未知的项 {key}（应为 {keys}）"),
    (r'expected a section per sheet: \[sheets\."<sheet title>"\]', '应为每个工作表写一节：[sheets."<工作表名称>"]'),
    (r"expected a section per column: \[values\.<column>\]", "应为每列写一节：[values.<列名>]"),
    (
        r'expected a section: table = "\.\.\.", header_rows = \[\.\.\.\], \[columns\]',
        '应为一节：table = "..."、header_rows = [...]、[columns]',
    ),
    (r'expected a section: "<header>" = "<field>"', '应为一节："<表头>" = "<字段>"'),
    (r'expected a section: "<word>" = "<code>"', '应为一节："<用词>" = "<代码>"'),
    (
        r'missing: the table the sheet is read as, or "" to skip it',
        '缺少 table：该工作表读作哪张表，或写 "" 跳过该表',
    ),
    (r'no such table \(expected "" or one of (?P<tables>.+)\)', '没有这张表（应为 "" 或以下之一：{tables}）'),
    (
        r"expected one row number or two adjacent ones, from 1: \[3\] or \[3, 4\]",
        "应为一个行号或两个相邻的行号（从 1 起）：[3] 或 [3, 4]",
    ),
    (r'expected the field as text, or "" to skip the column', '应写字段名（文字），或写 "" 跳过该列'),
    (
        r"no context (?P<context>\S+) of a reference \(expected one of (?P<fieldnames>.+)\)",
        "引用没有 {context} 这一项（应为以下之一：{fieldnames}）",
    ),
    (
        r"no field (?P<name>\S+) in (?P<table>\S+) \(expected one of (?P<fieldnames>.+)\)",
        "{table}表没有 {name} 字段（应为以下之一：{fieldnames}）",
    ),
    (
        r"(?P<column>\S+) is not a column with value words \(expected one of (?P<fieldnames>.+)\)",
        "{column} 不是有取值用词的列（应为以下之一：{fieldnames}）",
    ),
    (
        r"no (?P<column>\S+) (?P<code>.+) \(expected one of (?P<codes>.+)\)",
        "{column} 没有 {code} 这个代码（应为以下之一：{codes}）",
    ),
    # --- matching inputs (graph/matching/problem.py, stable.py) ---
    (r"unknown village", "未知的行政村"),
    (r"unknown unit", "未知的结对单位"),
    (r"id is both a helper unit and a weak village", "此编号既是结对单位又是后进村"),
    (r"kind must be one of (?P<labels>.+)", "单位类型应为以下之一：{labels}"),
    (r"must be one of (?P<codes>.+)", "应为以下之一：{codes}"),
    (r"required column is missing", "缺少必填列"),
    (r"unknown column \(expected (?P<names>.+)\)", "未知的列（应为 {names}）"),
    (r"id is empty \(row (?P<row>\d+) of (?P<count>\d+)\)", "编号为空（第 {row} 行，共 {count} 行）"),
    (r"id is repeated", "编号重复"),
    (r"must be a list of strings", "应为文字列表"),
    (r"list items must be strings", "列表中的每一项都应为文字"),
    (r"must be a list of \{kind, name\} entries", "应为清单条目（类别、名称）的列表"),
    (r"must be a number", "应为数字"),
    (r"must be a whole number, 0 or more", "应为 0 或更大的整数"),
    # --- 三张清单 (graph/claims.py, graph/lists.py): the writes' refusals ---
    (r"the need's item is empty", "需求事项为空"),
    (r"the resource's item is empty", "资源名称为空"),
    (rf"the need's item is longer than {_n('count')} characters", "需求事项超过 {count} 个字"),
    (rf"the resource's item is longer than {_n('count')} characters", "资源名称超过 {count} 个字"),
    (r"kind (?P<value>.+): choose one of (?P<codes>.+)", "类别 {value} 不可用，应为以下之一：{codes}"),
    (r"a need with id (?P<need>.+) exists already", "编号为 {need} 的需求已经存在"),
    (r"a resource with id (?P<id>.+) exists already", "编号为 {id} 的资源已经存在"),
    (r"serves (?P<value>.+): a number of villages, 0 or more", "可服务村数 {value} 有误：应为 0 或更大的整数"),
    (r"due (?P<due>\S+) is before the claim's date (?P<day>\S+)", "完成时限 {due} 早于认领日期 {day}"),
    (r"done (?P<done>\S+) is before the claim's date (?P<day>\S+)", "完成日期 {done} 早于认领日期 {day}"),
    (r"need (?P<need>.+) is (?P<state>\w+) and cannot be claimed", "需求 {need} {state}，不能再认领"),
    (r"need (?P<need>.+) is (?P<state>\w+) and cannot be withdrawn", "需求 {need} {state}，不能撤销"),
    (r"need (?P<need>.+) is withdrawn", "需求 {need} 已撤销"),
    (r"need (?P<need>.+) belongs to no village", "需求 {need} 没有所属的村"),
    (r"need (?P<need>.+) was done by (?P<units>.+) already", "需求 {need} 已由 {units} 完成"),
    (r"(?P<unit>.+) has claimed need (?P<need>.+) already", "{unit} 已经认领过需求 {need}"),
    (r"(?P<unit>.+) has no live claim of need (?P<need>.+) to choose", "{unit} 没有可选定的对需求 {need} 的认领"),
    (
        r"a pairing of (?P<unit>.+) with (?P<village>.+) starting (?P<day>\S+) already exists",
        "{unit} 与 {village} 自 {day} 起的结对关系已经存在",
    ),
    (r"need status (?P<value>.+): choose one of (?P<codes>.+)", "需求状态 {value} 不可用，应为以下之一：{codes}"),
    (r"a done date goes with the status done, not (?P<state>\w+)", "填写完成日期时项目状态应为已完成，而不是{state}"),
    (r"nothing to set: give a status or a due date", "没有要修改的内容：请填写项目状态或完成时限"),
    (r"no claim of need (?P<need>.+) by (?P<unit>.+)", "{unit} 没有认领需求 {need}"),
    (r"the claim of need (?P<need>.+) by (?P<unit>.+) was not chosen", "{unit} 对需求 {need} 的认领未被选中"),
    (r"the claim of need (?P<need>.+) by (?P<unit>.+) is done already", "{unit} 对需求 {need} 的项目已经完成"),
    # A Neo4j store's backup (before a replace, too) that never found a moment without a commit.
    (
        r"the Neo4j store (?P<store>.+) changed during each of (?P<tries>\d+) attempts to read it whole; "
        r"back it up again when fewer planners are writing",
        "Neo4j 数据库 {store} 在 {tries} 次完整读取中每次都有新的修改，未能备份；请在修改的人较少时再备份",
    ),
    # Last: the specific wordings above (a project's status, a need's kind) come first.
    (r"(?P<field>\w+) (?P<value>.+): choose one of (?P<codes>.+)", "{field} {value} 不是可选值：应为 {codes} 之一"),
]

CATALOGUE: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.DOTALL), zh) for p, zh in _CATALOGUE]
_PLACE = re.compile(r"\{(\w+)\}")


def _value(name: str, text: str) -> str:
    convert = _CONVERT.get(name.rstrip("0123456789"))
    return convert(text) if convert is not None else text


def _filled(template: str, found: re.Match[str]) -> str:
    groups = found.groupdict(default="")
    values = {name: _value(name, text) for name, text in groups.items()}
    if "relfields" in groups:
        values["relfields"] = _rel_fields(groups["relfields"], groups["rel"])
    # The template is ours; a value is put in as it is, whatever braces or backslashes it holds.
    return _PLACE.sub(lambda place: values[place.group(1)], template)


def reason_text(reason: str, lang: str) -> str:
    """REASON in LANG ("zh" or "en"): in Chinese by the catalogue's first matching pattern, else as written."""
    if lang != "zh":
        return reason
    for pattern, template in CATALOGUE:
        found = pattern.fullmatch(reason)
        if found is not None:
            return _filled(template, found)
    return reason


def problem_text(problem: Problem, lang: str) -> str:
    """A problem in one line, as `str(problem)` says it in English, in LANG: where, the value, the reason."""
    if lang != "zh":
        return str(problem)
    where = problem.file
    if problem.row is not None:
        where += f" 第 {problem.row} 行"
    if problem.column is not None:
        where += f"，{problem.column} 列"
    said = reason_text(problem.reason, lang)
    return f"{where}：「{problem.value}」：{said}" if problem.value is not None else f"{where}：{said}"
