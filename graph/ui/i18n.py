"""Every string the app shows, in Chinese (the default: the users are Chinese planners) and English.

Data keep their Chinese names; only the interface is translated. `t(key)` reads the language
from the sidebar's `lang` selectbox through session state.
"""

from __future__ import annotations

from typing import Any

from graph import model
from graph.gap_lists import GAP_LISTS

LANGS = ("zh", "en")
LANG_NAMES = {"zh": "中文", "en": "English"}
DEFAULT_LANG = "zh"

# key: (Chinese, English)
TEXT: dict[str, tuple[str, str]] = {
    "app.title": ("城乡结对共建图谱", "Urban–rural pairing graph"),
    "app.lang": ("语言 / Language", "Language / 语言"),
    "app.asof": ("统计日期", "As of"),
    "app.store": ("数据库：{location}", "Store: {location}"),
    "app.store_busy": (
        "数据库正被另一个程序占用（例如正在导入或备份），暂时无法打开。请稍后刷新页面。",
        "The store is in use by another program (an import or a backup, say) and cannot be opened now. "
        "Reload the page in a moment.",
    ),
    "app.store_failed": (
        "无法打开数据库。请联系管理员（详情见服务器日志）。",
        "The store cannot be opened. Ask an admin (the server's log has the details).",
    ),
    "app.empty": (
        "数据库中还没有数据。请在“数据”页面导入台账。",
        "The store holds no data yet. Import a ledger on the Data page.",
    ),
    "page.overview": ("总览", "Overview"),
    "page.explorer": ("关系网络", "Network explorer"),
    "page.gaps": ("短板清单", "Gaps"),
    "page.data": ("数据", "Data"),
    "page.period": ("本期变化", "Changes"),
    # filters
    "filter.city": ("市（州）", "City"),
    "filter.county": ("县（市、区）", "County"),
    "filter.township": ("乡镇（街道）", "Township"),
    "filter.all": ("全部", "All"),
    # overview
    "overview.title": ("总览", "Overview"),
    "overview.weak": ("后进村", "Weak villages"),
    "overview.covered": ("已有帮扶", "Covered"),
    "overview.share": ("覆盖率", "Share covered"),
    "overview.uncovered": ("无帮扶后进村", "Uncovered weak villages"),
    "overview.inactive": ("挂名结对（一年无活动）", "Inactive pairings (no activity for a year)"),
    "overview.first_year": ("首年尚无活动的结对", "First-year pairings, no activity yet"),
    "overview.expiring": ("90天内到期的驻村干部", "Cadre terms ending within 90 days"),
    "overview.by_kind": ("按帮扶方式", "By kind of support"),
    "overview.lists": ("三张清单", "Needs and claims"),
    "overview.claim_rate": ("需求认领率", "Claim rate of needs"),
    "overview.completion_rate": ("项目办结率", "Completion rate of projects"),
    "overview.stale": ("90天以上无人认领的需求", "Needs unclaimed for 90 days"),
    "overview.overdue": ("逾期未办结项目", "Projects past their due date"),
    "overview.idle": ("认领后未推进的单位", "Units that claimed and did nothing"),
    "overview.by_township": ("各乡镇后进村覆盖情况", "Coverage of weak villages by township"),
    "overview.by_county": ("各县后进村覆盖情况", "Coverage of weak villages by county"),
    "overview.weak_only": (
        "村数太多，地图只显示 {n} 个后进村。选择县可查看全部村。",
        "Too many villages: the map shows the {n} weak villages only. Pick a county to see them all.",
    ),
    "overview.map": ("后进村分布（红：无帮扶，绿：已帮扶）", "Weak villages (red: uncovered, green: covered)"),
    "overview.no_coords": ("所选范围内没有带坐标的村。", "No village in this selection has coordinates."),
    "overview.no_gaps": (
        "短板分析模块（graph.gaps）尚未安装，暂不显示覆盖指标。",
        "The gap analysis (graph.gaps) is not available yet; coverage figures are not shown.",
    ),
    "overview.counts": ("数据规模", "What the store holds"),
    "col.covered": ("已帮扶", "covered"),
    "col.uncovered": ("无帮扶", "uncovered"),
    # explorer
    "explorer.title": ("关系网络", "Network explorer"),
    "explorer.mode": ("查看方式", "View"),
    "explorer.mode.search": ("按名称查找", "Search by name"),
    "explorer.mode.scope": ("按县/乡镇", "County / township"),
    "explorer.search": ("名称或编号", "Name or id"),
    "explorer.results": ("找到 {n} 个节点", "{n} nodes found"),
    "explorer.no_results": ("没有找到名称包含“{text}”的节点。", "No node's name contains “{text}”."),
    "explorer.pick": ("选择节点", "Node"),
    "explorer.depth": ("层数", "Depth"),
    "explorer.physics": ("动态布局", "Physics"),
    "explorer.cap": ("最多显示节点数", "Node cap"),
    "explorer.shown": ("显示 {nodes} 个节点、{links} 条关系", "Showing {nodes} nodes and {links} links"),
    "explorer.capped": (
        "范围内至少有 {total} 个节点，超过上限 {cap}，只显示前 {cap} 个。请缩小范围（选择乡镇或减少层数）。",
        "The scope holds at least {total} nodes, more than the cap of {cap}; only the first {cap} are shown. "
        "Narrow it (pick a township or fewer hops).",
    ),
    "explorer.legend": ("图例", "Legend"),
    "explorer.ended": ("统计日期前已结束", "ended before the as-of date"),
    "explorer.details": ("节点详情", "Details"),
    "explorer.links": ("关系", "Links"),
    "explorer.focus": ("查看", "Focus"),
    "explorer.hint": ("输入名称查找节点，或选择县/乡镇查看范围。", "Search a node by name, or pick a county/township."),
    "explorer.no_links": ("没有关系。", "No links."),
    "col.relation": ("关系", "relation"),
    "col.partner": ("对方", "partner"),
    "col.kind": ("类型", "kind"),
    "col.since": ("开始", "since"),
    "col.until": ("结束", "until"),
    "col.active": ("有效", "active"),
    "col.property": ("属性", "property"),
    "col.value": ("值", "value"),
    # gaps
    "gaps.title": ("短板清单", "Gaps"),
    "gaps.list": ("清单", "List"),
    "gaps.rows": ("共 {n} 行", "{n} rows"),
    "gaps.download_xlsx": ("下载 Excel", "Download XLSX"),
    "gaps.download_csv": ("下载 CSV", "Download CSV"),
    "gaps.unavailable": (
        "短板分析模块（graph.gaps / graph.reports）尚未安装。",
        "The gap analysis (graph.gaps / graph.reports) is not available yet.",
    ),
    "gaps.policy": ("覆盖要求（不选：任一帮扶即可）", "Required kinds (none chosen: any support)"),
    "gaps.status": ("状态", "Status"),
    "gaps.by": ("汇总方式", "Group by"),
    # period (本期变化)
    "period.title": ("本期变化", "Changes in a period"),
    "period.kind": ("统计期", "Period"),
    "period.kind_month": ("上月", "Last month"),
    "period.kind_quarter": ("上季度", "Last quarter"),
    "period.kind_year": ("上年", "Last year"),
    "period.kind_custom": ("自定义", "Custom"),
    "period.from": ("期初日期", "From"),
    "period.to": ("期末日期", "To"),
    "period.options": ("规则与趋势跨度", "Rules and trend span"),
    "period.policy": (
        "期末覆盖要求（不选：任一帮扶即可）",
        "Required kinds on the last day (none chosen: any support)",
    ),
    "period.days": ("挂名结对：无活动天数", "Paper pairing: days without activity"),
    "period.rules_differ": ("期初规则不同", "The first day had other rules"),
    "period.policy_from": (
        "期初覆盖要求（不选：任一帮扶即可）",
        "Required kinds on the first day (none chosen: any support)",
    ),
    "period.days_from": ("期初挂名结对：无活动天数", "Paper pairing on the first day: days without activity"),
    "period.trend_months": ("趋势跨度（月）", "Trend span (months)"),
    "period.bad_span": (
        "期末日期（{d2}）须晚于期初日期（{d1}）。",
        "The last day ({d2}) must come after the first ({d1}).",
    ),
    "period.new_gaps": ("新增缺口", "New gaps"),
    "period.closed_gaps": ("消除缺口", "Closed gaps"),
    "period.coverage_from": ("期初覆盖率（{day}）", "Coverage on {day}"),
    "period.coverage_to": ("期末覆盖率（{day}）", "Coverage on {day}"),
    "period.points": ("{n} 个百分点", "{n} points"),
    "period.section": ("{title}（{n}）", "{title} ({n})"),
    "period.trend": ("覆盖趋势", "Coverage trend"),
    "period.trend_rate": ("覆盖率（%）", "Coverage rate (%)"),
    "period.trend_paper": ("挂名结对数", "Paper pairings"),
    "period.trend_table": ("趋势明细", "Trend figures"),
    "period.prepare": ("生成 Excel 报表", "Prepare the XLSX report"),
    "period.download_xlsx": ("下载 Excel", "Download XLSX"),
    "period.bulletin": ("通报（上报用）", "The report that goes up"),
    "period.bulletin_unit": ("填报单位", "Reporting unit"),
    "period.bulletin_prepare": ("生成通报（Excel 与 PDF）", "Prepare the report (XLSX and PDF)"),
    "period.bulletin_xlsx": ("下载通报 Excel", "Download the report (XLSX)"),
    "period.bulletin_pdf": ("下载通报 PDF", "Download the report (PDF)"),
    # data
    "data.title": ("数据导入导出", "Import and export"),
    "data.upload": ("上传台账（Excel 工作簿或 CSV 压缩包）", "Upload a ledger (XLSX workbook or ZIP of CSV files)"),
    "data.replace": ("替换：删除库中台账没有的数据", "Replace: remove what the ledger does not hold"),
    "data.valid": ("校验通过：{counts}", "No problems: {counts}"),
    "data.problems": ("发现 {n} 个问题，未导入：", "{n} problems found; nothing was imported:"),
    "data.import": ("确认导入", "Import"),
    "data.imported": ("已导入：{changes}", "Imported: {changes}"),
    "data.no_change": ("没有变化", "no change"),
    "data.bad_file": ("无法读取文件：{error}", "Cannot read the file: {error}"),
    "data.export": ("导出全部数据", "Export everything"),
    "data.export_zip": ("下载 CSV 压缩包", "Download ZIP of CSV files"),
    "data.export_xlsx": ("下载 Excel 工作簿", "Download XLSX workbook"),
    "data.prepare": ("生成导出文件", "Prepare the export"),
    "data.failed": ("未导入：{error}", "Nothing was imported: {error}"),
    "data.backup_note": (
        "替换前会自动备份当前数据库（pairing backups 列出备份，可用 pairing restore 恢复）。",
        "Before the replace the store is backed up automatically (pairing backups lists the backups; "
        "put one back with pairing restore).",
    ),
    "data.backup_saved": ("替换前的数据已备份到：{path}", "The replaced store was saved to: {path}"),
    "data.removes_nothing": ("替换不会删除库中任何数据。", "The replace removes nothing from the store."),
    "data.removes": (
        "替换将删除库中 {n} 条数据（节点和关系）：",
        "The replace removes {n} nodes and links from the store:",
    ),
    "data.removed_villages": ("将被删除的村（前 {shown} 个，共 {n} 个）：", "Villages removed (first {shown} of {n}):"),
    "data.shrink": (
        "这份台账比库中数据少得多：替换后{kinds}将不足原来的 {share}。请核对台账。",
        "This ledger is much smaller than the store: after the replace, fewer than {share} of its {kinds} "
        "would remain. Check the ledger.",
    ),
    "data.shrink_confirm": (
        "确认删除请输入将被删除的数据条数（{n}）",
        "To confirm, type the number of nodes and links that will be removed ({n})",
    ),
    "mapping.title": ("读取方式", "How the ledger is read"),
    "mapping.intro": (
        "每个工作表按哪张表读取、每列读作哪个字段。检测有误时请更正，并保存为映射模板以后每月使用。",
        "Which table each sheet is read as and which field each column is. Correct what is wrong, and save it "
        "as a mapping template for next month.",
    ),
    "mapping.sheet_read": (
        "工作表「{title}」：按{table}读取，表头第{rows}行",
        "Sheet “{title}”: read as {table}, header in row {rows}",
    ),
    "mapping.sheet_skipped": ("工作表「{title}」：{reason}", "Sheet “{title}”: {reason}"),
    "mapping.table_select": ("工作表「{title}」读作", "Read sheet “{title}” as"),
    "mapping.skip": ("跳过", "skip"),
    "mapping.unknown": ("未识别：请选择字段或跳过", "not recognised: choose a field or skip"),
    "mapping.fields": ("各列读作的字段（可更正）：", "The field each column is read as (correct it here):"),
    "mapping.column_select": ("{letter}列「{header}」", "Column {letter} “{header}”"),
    "mapping.col_column": ("列", "Column"),
    "mapping.col_header": ("表头", "Header"),
    "mapping.col_field": ("字段", "Field"),
    "mapping.col_how": ("识别方式", "How"),
    "mapping.col_reason": ("原因", "Reason"),
    "mapping.col_row": ("行", "Row"),
    "mapping.col_text": ("内容", "Text"),
    "mapping.col_note": ("说明", "Note"),
    "mapping.skipped_columns": ("跳过的列：", "Skipped columns:"),
    "mapping.skipped_rows": ("跳过的行：", "Skipped rows:"),
    "mapping.preview": ("前几行预览：", "The first rows:"),
    "mapping.words": ("取值用词（台账写法 → 代码）：", "Value words (as the ledger writes them → code):"),
    "mapping.col_word": ("台账写法", "Word"),
    "mapping.col_code": ("代码", "Code"),
    "mapping.notes": ("读取说明：", "What reading noted:"),
    "mapping.corrected": ("已按你的更正重新读取。", "Read again with your corrections."),
    "mapping.template_upload": ("使用已保存的映射模板（TOML 文件）", "Use a saved mapping template (TOML file)"),
    "mapping.template_bad": ("映射模板有误，未使用：", "The mapping template has mistakes and is not used:"),
    "mapping.template_used": ("已按映射模板读取：{name}", "Read with the mapping template: {name}"),
    "mapping.download": ("保存映射模板（TOML）", "Save the mapping template (TOML)"),
    "mapping.save_note": (
        "下月上传台账时在上方选用此模板，或在命令行使用 pairing load 台账.xlsx --template 模板.toml。",
        "Next month, choose this template above with the ledger, or use pairing load LEDGER.xlsx --template FILE.toml.",
    ),
    "data.col_kind": ("类别", "label / type"),
    "data.col_before": ("库中现有", "in the store"),
    "data.col_removed": ("将删除", "removed"),
    "data.col_after": ("替换后", "after"),
    "data.col_id": ("编号", "id"),
    "data.replace_county": ("替换范围", "Replace"),
    "data.whole_store": ("全部数据", "the whole store"),
    "data.county_scope": (
        "只替换 {county} 的村、单位、驻村干部及其结对关系，其他县保持不变；台账中只能有该县的数据。",
        "Only {county}'s villages, units, stationed cadres and their links are replaced; every other county "
        "stays as it is. The ledger must hold that county's rows only.",
    ),
    "data.changes": ("导入将带来的变化", "What the import changes"),
    "data.nothing_changes": ("导入不会改变库中任何数据。", "The import changes nothing in the store."),
    "data.changed_values": (
        "将修改的属性（前 {shown} 项，共 {n} 项）：",
        "Values that change (first {shown} of {n}):",
    ),
    "data.col_added": ("新增", "added"),
    "data.col_changed": ("修改", "changed"),
    "data.col_unchanged": ("不变", "unchanged"),
    "data.col_kept": ("台账中没有、保留", "not in the ledger, kept"),
    "data.col_row": ("数据", "row"),
    "data.col_was": ("库中现值", "in the store"),
    "data.col_becomes": ("导入后", "after the import"),
    "data.col_by": ("修改人", "changed by"),
    "data.col_at": ("修改时间", "changed at"),
    "data.blank": ("（空）", "(blank)"),
    "data.removed_link": ("（删除）", "(removed)"),
    "data.no_date": ("未知（台账无填报日期）", "unknown (the ledger has no 填报日期)"),
    "data.newer": (
        "导入将覆盖 {n} 处在台账日期（{since}）之后在系统中手工修改的数据：",
        "The import overwrites {n} values changed by hand in the store after the ledger's date ({since}):",
    ),
    "data.overwrite_newer": (
        "我已核对，用台账覆盖这 {n} 处修改",
        "I have checked them: overwrite these {n} changes with the ledger",
    ),
    "data.did_add": ("新增 {n}", "{n} added"),
    "data.did_change": ("修改 {n}", "{n} changed"),
    "data.did_remove": ("删除 {n}", "{n} removed"),
    "col.file": ("文件/工作表", "file / sheet"),
    "col.row": ("行", "row"),
    "col.column": ("列", "column"),
    "col.value_cell": ("内容", "value"),
    "col.reason": ("原因", "reason"),
    "col.count": ("数量", "count"),
    "col.name": ("名称", "name"),
    # matching
    "page.matching": ("结对匹配", "Matching"),
    "match.title": ("结对匹配建议", "Proposed pairings"),
    "match.mode": ("匹配方式", "Mode"),
    "match.weights": ("评分权重", "Score weights"),
    "match.part_complementarity": ("优势互补", "Complementarity"),
    "match.part_industry": ("产业相近", "Industry"),
    "match.part_distance": ("距离", "Distance"),
    "match.part_locality": ("同县同乡", "Locality"),
    "match.part_capacity": ("余力", "Free capacity"),
    "match.part_kind_fit": ("类型适配", "Kind fit"),
    "match.max_km": ("最远距离（公里）", "Maximum distance (km)"),
    "match.k": ("每村候选单位数", "Candidates per village"),
    "match.same_county": ("只在本县内匹配", "Same county only"),
    "match.run": ("生成匹配建议", "Run the matching"),
    "match.running": ("正在匹配……", "Matching…"),
    "match.hint": (
        "选择范围和权重后，点击“生成匹配建议”。",
        "Choose the scope and weights, then run the matching.",
    ),
    "match.bad_profile": ("匹配设置有误：{error}", "The matching settings are invalid: {error}"),
    "match.settings_changed": (
        "设置已改变，下面仍是上次的匹配结果。请重新生成。",
        "The settings have changed; the results below are from the last run. Run the matching again.",
    ),
    "match.proposals": ("结对建议", "Proposals"),
    "match.summary": (
        "{n} 条建议，{m} 个村未能匹配（统计日期 {asof}）",
        "{n} proposals, {m} villages left unmatched (as of {asof})",
    ),
    "match.select": ("采纳", "Accept"),
    "match.accept": ("采纳所选建议", "Accept the selected proposals"),
    "match.confirm_text": (
        "将写入 {n} 条结对关系（一次完成，任一条失效则全部不写入）。确认吗？",
        "This writes {n} links in one transaction (none if any has gone stale). Go ahead?",
    ),
    "match.confirm": ("确认写入", "Confirm and write"),
    "match.cancel": ("取消", "Cancel"),
    "match.applied": ("已写入 {n} 条结对关系。", "{n} links written."),
    "match.conflict": (
        "数据已被他人修改，未写入任何结对。请重新生成匹配建议。\n\n{error}",
        "The data changed since this run; nothing was written. Run the matching again.\n\n{error}",
    ),
    "match.failed": ("写入失败，未写入任何结对：{error}", "Writing failed; nothing was written: {error}"),
    "match.unmatched": ("未能匹配的后进村", "Weak villages left unmatched"),
    "match.none_unmatched": ("所有后进村都有建议。", "Every weak village has a proposal."),
    "match.map": (
        "建议结对（橙：单位，绿：村，红：未匹配）",
        "Proposed links (orange: unit, green: village, red: unmatched)",
    ),
    # links
    "page.links": ("帮扶关系维护", "Edit links"),
    "links.title": ("帮扶关系维护", "Edit a village's links"),
    "links.search": ("村名或编号", "Village name or ID"),
    "links.village": ("村", "Village"),
    "links.no_village": ("没有找到这个村。", "No village found."),
    "links.hint": (
        "输入村名查找，然后新建、修改、结束或删除它的帮扶关系。",
        "Search a village, then create, edit, end or delete its links.",
    ),
    "links.none": ("这个村没有任何帮扶关系。", "This village has no support links."),
    "links.partner_id": ("对方编号", "partner ID"),
    "links.pick": ("选择一条关系", "Choose a link"),
    "links.end_date": ("结束日期", "End date"),
    "links.end": ("结束这条关系", "End this link"),
    "links.end_ask": (
        "确定结束这条关系吗？{link}，最后一天为 {until}，次日起不再计入帮扶。",
        "End this link? {link}, its last day {until}: from the next day it no longer counts as support.",
    ),
    "links.end_confirm": ("确认结束", "Yes, end it"),
    "links.ended": ("已结束，结束日期 {until}。", "Ended on {until}."),
    "links.describe": (
        "{kind}：{partner}（{partner_id}）→ {village}，{since} 至 {until}",
        "{kind}: {partner} ({partner_id}) → {village}, {since} to {until}",
    ),
    "links.cancel": ("取消", "Cancel"),
    "links.delete": ("删除这条误录的关系", "Delete this link (entered by mistake)"),
    "links.delete_ask": (
        "确定删除这条关系吗？{link}。删除后不留历史（已结束的关系请用“结束”）；操作记入审计。",
        "Delete this link? {link}. It leaves no history (to end a link that ran, end it); the audit trail keeps it.",
    ),
    "links.delete_confirm": ("确认删除", "Yes, delete it"),
    "links.deleted": ("已删除。", "Deleted."),
    "links.update_title": ("修改这条关系", "Edit this link"),
    "links.recorded": (
        "实事项目数按下方的实事项目记录计算，不在此修改。",
        "The number of projects is counted from the practical projects below, not edited here.",
    ),
    "links.current": ("现在：{now}", "Now: {now}"),
    "links.field.since": ("开始日期", "Since"),
    "links.field.until": ("结束日期", "Until"),
    "links.field.form": ("结对方式", "Form"),
    "links.field.funds": ("帮扶资金（万元）", "Funds (10,000 yuan)"),
    "links.field.projects": ("实事项目数", "Projects"),
    "links.field.last_activity": ("最近活动日期", "Last activity"),
    "links.field.mode": ("联建方式", "Mode"),
    "links.field.joint_party_org": ("联合党组织", "Joint party organisation"),
    "links.field.role": ("驻村身份", "Role"),
    "links.update": ("保存修改", "Save"),
    "links.updated": ("已保存。", "Saved."),
    "links.nothing": ("没有要修改的内容。", "Nothing to change."),
    "links.new_title": ("新建帮扶关系", "New link"),
    "links.new_kind": ("帮扶方式", "Kind of support"),
    "links.new_search": ("结对单位、强村、企业或干部的名称", "Name of the unit, strong village, enterprise or cadre"),
    "links.new_partner": ("对方", "Partner"),
    "links.no_partner": ("没有找到（可选：{kinds}）。", "None found (it must be one of: {kinds})."),
    "links.create": ("新建", "Create"),
    "links.created": ("已新建：{partner} → {village}。", "Created: {partner} → {village}."),
    "links.failed": ("操作失败：{error}", "That failed: {error}"),
    # sign-in and roles
    "auth.title": ("登录", "Sign in"),
    "auth.username": ("用户名", "Username"),
    "auth.password": ("密码", "Password"),
    "auth.submit": ("登录", "Sign in"),
    "auth.wrong": ("用户名或密码不正确。", "Wrong username or password."),
    "auth.wait": (
        "登录失败次数过多，请 {seconds} 秒后再试。",
        "Too many failed sign-ins: try again in {seconds} seconds.",
    ),
    "auth.locked": (
        "登录失败次数过多，此账号已被锁定。请联系管理员解锁。",
        "Too many failed sign-ins: this account is locked. Ask an admin to unlock it.",
    ),
    "auth.busy": ("服务器正忙，请稍后再试。", "The server is busy: try again in a moment."),
    "auth.oidc": ("使用本部门统一身份认证登录", "Sign in with your department's identity provider"),
    "auth.oidc_unknown": (
        "{email} 没有对应的账号。请管理员以此邮箱为用户名创建账号。",
        "No account is named {email}. Ask an admin to create one with this e-mail address as its username.",
    ),
    "auth.open": (
        "数据库中还没有任何账号：目前只能查看，不能修改。"
        "请在命令行创建管理员：pairing user add 用户名 --role admin（或 make run 自动创建演示管理员）。",
        "The store has no account yet: the app is read-only until an admin exists. "
        "Create one on the command line: pairing user add NAME --role admin (make run creates a demo admin).",
    ),
    "auth.signed_in": ("已登录：{user}（{role}）", "Signed in: {user} ({role})"),
    "auth.sign_out": ("退出登录", "Sign out"),
    "auth.denied_signin": ("没有权限：请先登录。", "Not allowed: sign in first."),
    "auth.denied_open": (
        "没有权限：数据库还没有管理员，目前只能查看。请先创建管理员账号（pairing user add 用户名 --role admin）。",
        "Not allowed: the store has no admin yet and is read-only. "
        "Create an admin first (pairing user add NAME --role admin).",
    ),
    "auth.denied_viewer": (
        "没有权限：{user} 是查看者，只能查看，不能修改。",
        "Not allowed: {user} is a viewer and may not change anything.",
    ),
    "auth.denied_admin": (
        "没有权限：只有管理员可以执行此操作（{user} 是{role}）。",
        "Not allowed: only an admin may do this ({user} is a {role}).",
    ),
    "auth.denied_county": (
        "没有权限：{user} 只能修改 {counties} 的村，不能修改 {county} 的村。",
        "Not allowed: {user} may change villages of {counties} only, not of {county}.",
    ),
    # 三张清单 (graph/ui/lists_page.py)
    "page.lists": ("三张清单", "Needs and claims"),
    "lists.title": ("三张清单与双向认领", "Needs, resources and claims"),
    "lists.rates": ("认领率和办结率", "Claim and completion rates"),
    "lists.rates_county": ("各县", "By county"),
    "lists.rates_township": ("各乡镇", "By township"),
    "lists.claim_rate": ("认领率", "Claim rate"),
    "lists.completion_rate": ("办结率", "Completion rate"),
    "lists.needs": ("需求清单", "Needs"),
    "lists.status": ("需求状态", "Need status"),
    "lists.rows": ("共 {n} 条需求", "{n} needs"),
    "lists.pick": ("选择一条需求", "Choose a need"),
    "lists.no_needs": ("没有符合条件的需求。", "No need matches."),
    "lists.claims_of": ("认领情况：{claims}", "Claims: {claims}"),
    "lists.no_claims": ("还没有单位认领。", "No unit has claimed it yet."),
    "lists.claim_title": ("登记认领", "Record a claim"),
    "lists.unit_search": ("认领单位名称或编号", "Claiming unit's name or ID"),
    "lists.unit": ("认领单位", "Unit"),
    "lists.no_unit": ("没有找到这个单位。", "No unit found."),
    "lists.claimed_on": ("认领日期", "Claimed on"),
    "lists.due": ("完成时限", "Due"),
    "lists.claim": ("登记认领", "Record the claim"),
    "lists.claimed": ("已登记认领。", "Claim recorded."),
    "lists.choose_title": ("村民选择（群众选对）", "The village's choice (群众选对)"),
    "lists.choose_unit": ("选定的单位", "Unit chosen"),
    "lists.choose": ("确认选择", "Record the choice"),
    "lists.chosen": ("已记录选择。", "Choice recorded."),
    "lists.chosen_paired": (
        "已记录选择，并建立群众选对的结对关系。",
        "Choice recorded; the unit is now paired with the village.",
    ),
    "lists.project_title": ("项目进展", "Project progress"),
    "lists.project_unit": ("项目（认领单位）", "Project (claiming unit)"),
    "lists.project_status": ("项目状态", "Status"),
    "lists.done_on": ("完成日期", "Done on"),
    "lists.project_set": ("保存进展", "Save the progress"),
    "lists.project_saved": ("已保存项目进展。", "Progress saved."),
    "lists.withdraw_title": ("撤销需求", "Withdraw the need"),
    "lists.withdraw_confirm": (
        "确认撤销需求「{need}」（{id}）：尚未完成的认领将一并作为未选中处理",
        "Yes, withdraw the need “{need}” ({id}): its claims not done are declined with it",
    ),
    "lists.withdraw": ("撤销", "Withdraw"),
    "lists.withdrawn": ("已撤销需求 {id}。", "Need {id} withdrawn."),
    "lists.post_title": ("发布需求", "Post a need"),
    "lists.post_search": ("需求村名称或编号", "Village name or ID"),
    "lists.post_village": ("需求村", "Village"),
    "lists.no_village": ("没有找到这个村。", "No village found."),
    "lists.post_item": ("需求事项", "Item needed"),
    "lists.post_kind": ("需求类别", "Kind"),
    "lists.post_date": ("发布日期", "Posted on"),
    "lists.post": ("发布", "Post"),
    "lists.posted": ("已发布需求 {id}。", "Need {id} posted."),
    "lists.unset": ("未填", "not given"),
    "lists.failed": ("操作失败：{error}", "That failed: {error}"),
    # audit
    "page.audit": ("操作记录", "Audit trail"),
    "audit.title": ("操作记录", "Audit trail"),
    "audit.since": ("起始日期", "Since"),
    "audit.actor": ("操作人", "Actor"),
    "audit.action": ("操作", "Action"),
    "audit.count": ("共 {n} 条记录（最新的在前）", "{n} entries (newest first)"),
    "audit.none": ("没有符合条件的记录。", "No entry matches."),
    "audit.col.at": ("时间（UTC）", "at (UTC)"),
    "audit.col.actor": ("操作人", "actor"),
    "audit.col.action": ("操作", "action"),
    "audit.col.target": ("对象", "target"),
    "audit.col.before": ("修改前", "before"),
    "audit.col.after": ("修改后", "after"),
    # accounts
    "page.accounts": ("账号管理", "Accounts"),
    "accounts.title": ("账号管理", "Accounts"),
    "accounts.col.username": ("用户名", "username"),
    "accounts.col.role": ("角色", "role"),
    "accounts.col.counties": ("负责的县", "counties"),
    "accounts.col.created": ("创建时间", "created"),
    "accounts.col.locked": ("锁定时间", "locked"),
    "accounts.password_rule": (
        "密码至少 12 个字符，并包含字母、数字、符号（含空格）中的至少两类。",
        "A password has at least 12 characters, of at least two kinds of letters, digits and symbols (spaces count).",
    ),
    "accounts.locked": (
        "{user} 因登录失败次数过多于 {at} 被锁定。",
        "{user} was locked at {at} after too many failed sign-ins.",
    ),
    "accounts.unlock": ("解除锁定", "Unlock"),
    "accounts.unlocked": ("已解除 {user} 的锁定。", "{user} is unlocked."),
    "accounts.add": ("新建账号", "Add an account"),
    "accounts.role": ("角色", "Role"),
    "accounts.counties": ("负责的县（规划员必填）", "Counties (required for a planner)"),
    "accounts.add_submit": ("创建", "Create"),
    "accounts.added": ("已创建账号 {user}。", "Account {user} created."),
    "accounts.change": ("修改账号", "Change an account"),
    "accounts.no_others": ("没有其他账号。", "There is no other account."),
    "accounts.pick": ("账号", "Account"),
    "accounts.set_role": ("保存角色", "Save the role"),
    "accounts.role_set": ("{user} 的角色已改为{role}。", "{user} is now a {role}."),
    "accounts.new_password": ("新密码", "New password"),
    "accounts.set_password": ("重设密码", "Reset the password"),
    "accounts.password_set": ("{user} 的密码已重设。", "The password of {user} was reset."),
    "accounts.remove_confirm": ("确认删除账号 {user}", "Yes, remove {user}"),
    "accounts.remove": ("删除账号", "Remove the account"),
    "accounts.removed": ("已删除账号 {user}。", "Account {user} removed."),
    "accounts.failed": ("操作失败：{error}", "That failed: {error}"),
    # a pairing's practical projects and activities (graph/ui/activity_panel.py)
    "activity.title": ("实事项目与共建活动", "Practical projects and activities"),
    "activity.none": ("这个结对还没有记录实事项目。", "No activity is recorded for this pairing yet."),
    "activity.figures": (
        "实事项目数 {projects}，最近活动 {last}（{source}）",
        "Projects {projects}, last activity {last} ({source})",
    ),
    "activity.from_records": ("按已完成的实事项目计算", "from the completed activities"),
    "activity.from_columns": ("按台账填写的数字", "as the ledger's columns say"),
    "activity.add_title": ("记录一项实事", "Record an activity"),
    "activity.date": ("时间", "Date"),
    "activity.kind": ("类别", "Kind"),
    "activity.kind_none": ("未填", "not given"),
    "activity.name": ("项目名称", "Title"),
    "activity.funds": ("资金（万元）", "Funds (10,000 yuan)"),
    "activity.beneficiaries": ("受益人数", "Beneficiaries"),
    "activity.status": ("状态", "Status"),
    "activity.note": ("情况说明", "Note"),
    "activity.submit": ("记录", "Record"),
    "activity.added": ("已记录：{title}", "Recorded: {title}"),
    "activity.failed": ("记录失败：{error}", "That failed: {error}"),
    "activity.open": ("未完成的实事", "Activities not done yet"),
    "activity.new_status": ("改为", "Set to"),
    "activity.update": ("更新进展", "Update"),
    "activity.updated": ("已更新：{title}（{status}）", "Updated: {title} ({status})"),
}

# Coded values (support kinds, tiers, account roles, labels, relationship types) are worded by the
# model's vocabulary, where the data's words live; these keys only let `t()` templates name them.
_VOCABULARY_KEYS = {"kind": "support_kind", "tier": "tier", "role": "account_role", "label": "label", "rel": "rel"}
for _prefix, _kind in _VOCABULARY_KEYS.items():
    for _term in model.VOCABULARIES[_kind].terms:
        TEXT[f"{_prefix}.{_term.code}"] = (_term.zh, _term.en)
# Each gap list's name on screen is its report title, declared with the list.
for _gap in GAP_LISTS:
    TEXT[f"gap.{_gap.name}"] = (_gap.title_zh, _gap.title_en)


def current_lang() -> str:
    try:
        import streamlit as st

        lang = st.session_state.get("lang", DEFAULT_LANG)
    except Exception:  # outside a Streamlit run (plain tests, scripts): the default language
        lang = DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The text for `key` in the current (or given) language, with `{name}` fields filled from `values`."""
    zh, en = TEXT[key]
    text = en if (lang or current_lang()) == "en" else zh
    return text.format(**values) if values else text


def display(code: Any, kind: str | None = None, *, lang: str | None = None) -> str:
    """A coded value (of the model's vocabulary `kind`) as the current (or given) language words it.

    The words are `graph.model.display`'s, the same the reports write.
    """
    return model.display(code, lang or current_lang(), kind)


def kind_names(lang: str | None = None) -> dict[str, str]:
    """Words for the explorer's node kinds and link types, for the drawing and its legend."""
    out = {f"Village:{tier}": display(tier, "tier", lang=lang) for tier in model.TIERS}
    out |= {n.label: display(n.label, "label", lang=lang) for n in model.NODES}
    out |= {r.type: display(r.type, "rel", lang=lang) for r in model.RELS}
    out["ended"] = t("explorer.ended", lang)
    return out


def kind_name(key: str, lang: str | None = None) -> str:
    """A label or relationship type (as the store counts them) in the interface language."""
    for kind in ("label", "rel"):
        if model.term(key, kind) is not None:
            return display(key, kind, lang=lang)
    return key
