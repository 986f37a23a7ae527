"""Chinese name material and shared vocabularies for synthetic data (`graph.synth`, `seed/make_seed.py`).

All place and unit names built from these parts are fictional. The vocabularies are
the words the matching code compares: a village's `needs` and a unit's `resources`
(and a cadre's `skills`) are drawn from the one `SUPPORT` tuple so that
complementarity scores mean something.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Space-separated words: long name lists stay a few lines instead of one per line."""
    return tuple(text.split())


# Leading and trailing syllables of village names: X + Y + 村 (e.g. 石湾村, 王家村).
VILLAGE_HEADS = tuple(
    "青石白黄红金银龙凤马牛鹿梅桃李杨柳松柏竹枫桂兰荷茶稻东西南北上下中大小新老高长双三五七九万"
    "太平安和兴富丰永福德仁文明清宁顺陈王张刘周吴何许胡林郭罗谢邓彭曾潘"
)
VILLAGE_TAILS = tuple(
    "山岭坡坪坝岗冲沟河溪湾塘湖桥渡口洲田庄寨堡屯营铺店集园林家阁庙井泉源峪垸畈圩岩峰谷滩港墩台埠楼门关"
)

# Township stems: X + Y + 镇/乡.
TOWNSHIP_HEADS = tuple("龙金白青杨马桃凤长双三五清大新花黄石永太和兴梅松望安")
TOWNSHIP_TAILS = tuple("泉沙桥石柳鞍源凰岭河江里水坪店园土安平隆花林城口塘湾")

# County stems for generated (benchmark) counties: X + Y + 县. Heads are rare characters and
# pairs known to name real counties (沅陵, 溆浦, 翠屏, 桦川, 枞阳 ...) were taken out, but with
# 1,800 combinations a chance likeness to a real place cannot be ruled out; the seed's
# counties were checked by hand.
COUNTY_HEADS = tuple("澄岚砚湄璧瑶琅珂翠霁莘蘅芷萸棠榕杉椿楠槐漪泠渼澜潆滢泓溱黛峤崧蓼菁苓荻篁箬璟琮珩")
COUNTY_TAILS = tuple("溪川阳原丘台汀冈亭渚坂峪埭垣岙岑崖岫湾屿矶渡埠堰塘畈坞洋港垭岭坪源泽湖滨浔沚涧洼陂坳岗隅墟")

# Names of city communities (社区), used as X + 社区.
COMMUNITY_STEMS = _words(
    "东门 西街 南湖 北苑 新华 人民 解放 滨江 桂花 文昌 朝阳 和平 建设 光明 幸福 友谊 "
    "团结 胜利 红旗 向阳 春晖 翠苑 锦绣 金城 银杏 玉泉 青年 民主 育才 书院 东湖 西湖 "
    "南苑 北门 中山 振兴 康宁 安居 怡和 龙腾 凤鸣 鼓楼 钟楼 府前 站前 河西 河东 城南 "
    "城北 园林 花园 新城 学府 体育 公园 长安 长乐 永安 永宁 华庭 丽景 水岸 清风 明月 "
    "东苑"
)
# Sub-district (街道) stems for the county seat, where communities and units sit.
SUBDISTRICT_STEMS = ("城关", "城东", "城西", "城南", "城北", "新城", "滨江", "文昌")

# Enterprise brand words: county + brand + trade word + 有限公司.
ENTERPRISE_BRANDS = _words(
    "绿源 金穗 华兴 丰泰 恒通 宏达 嘉禾 瑞丰 鑫盛 盛源 鼎新 佳和 兴农 沃土 田园 天成 "
    "正阳 润泽 万家 同心 长青 远航 富民 惠农 蓝天 青禾 山水 云岭 福康 安泰 德润 汇丰 "
    "聚源 众诚 新丰 广源 泰和 锦程 宏图 晨光 百川 凯达 利民 康源 祥瑞 信达 和兴 恒丰 "
    "益民 融通 博远 卓越 明珠 金山 银河 红星 春雨 秋实 禾丰 乐农"
)
# Trade word in an enterprise's name, by its industry.
TRADE_WORDS = {
    "茶叶": "茶业",
    "蔬菜": "蔬菜专业",
    "水果": "果业",
    "养殖": "畜牧",
    "水产": "水产",
    "乡村旅游": "旅游开发",
    "电商": "电子商务",
    "中药材": "中药材",
    "竹编": "竹木制品",
    "花卉苗木": "园林绿化",
    "粮油": "粮油",
    "食用菌": "食用菌",
    "制造": "机械制造",
    "建筑": "建筑工程",
    "物流": "物流",
    "农产品加工": "食品",
}

# Rural industries (villages' `industries`, most enterprises' `industry`); seeds 000/004 name
# 花卉苗木, 林果蔬菜, 畜禽水产 and 茶叶加工.
INDUSTRIES = (
    "茶叶",
    "蔬菜",
    "水果",
    "养殖",
    "水产",
    "乡村旅游",
    "电商",
    "中药材",
    "竹编",
    "花卉苗木",
    "粮油",
    "食用菌",
)
# Enterprise trades besides the rural industries.
OTHER_TRADES = ("制造", "建筑", "物流", "农产品加工")

# The one vocabulary of needs, resources and skills.
SUPPORT = (
    "资金",
    "技术",
    "销路",
    "人才",
    "医疗",
    "教育",
    "党建指导",
    "活动场所",
    "规划",
    "培训",
    "法律服务",
    "基础设施",
    "文化",
    "电商运营",
)
# Needs a weak village tends to have, by weak reason.
NEEDS_BY_REASON = {
    "economy": ("资金", "销路", "技术", "电商运营"),
    "organisation": ("党建指导", "人才", "培训"),
    "poverty": ("资金", "医疗", "教育", "基础设施"),
    "venue": ("活动场所", "资金", "规划"),
}
ORDINARY_NEEDS = ("技术", "销路", "规划", "人才", "电商运营", "培训", "文化", "基础设施")
STRONG_NEEDS = ("人才", "规划", "法律服务")

COMMUNITY_RESOURCES = ("党建指导", "文化", "培训", "人才", "法律服务", "教育")
ENTERPRISE_RESOURCES = ("资金", "技术", "销路", "人才", "培训", "电商运营", "基础设施")

# County-level organisations: (name suffix after the county name, kind, resources they offer).
ORGANISATIONS = (
    ("委组织部", "department", ("党建指导", "人才", "培训")),
    ("委宣传部", "department", ("文化", "党建指导")),
    ("纪委监委", "department", ("党建指导", "法律服务")),
    ("发展和改革局", "department", ("规划", "资金")),
    ("财政局", "department", ("资金",)),
    ("农业农村局", "department", ("技术", "培训", "资金")),
    ("乡村振兴局", "department", ("资金", "规划", "技术")),
    ("商务局", "department", ("销路", "电商运营")),
    ("自然资源和规划局", "department", ("规划",)),
    ("住房和城乡建设局", "department", ("基础设施", "规划")),
    ("交通运输局", "department", ("基础设施",)),
    ("水利局", "department", ("基础设施", "技术")),
    ("教育局", "department", ("教育", "人才")),
    ("卫生健康局", "department", ("医疗",)),
    ("文化和旅游局", "department", ("文化", "规划")),
    ("司法局", "department", ("法律服务",)),
    ("人力资源和社会保障局", "department", ("培训", "人才")),
    ("民政局", "department", ("资金", "党建指导")),
    ("市场监督管理局", "department", ("销路", "法律服务")),
    ("科学技术局", "department", ("技术", "人才")),
    ("林业局", "department", ("技术", "规划")),
    ("供销合作社", "institution", ("销路", "电商运营")),
    ("农业技术推广中心", "institution", ("技术", "培训")),
    ("融媒体中心", "institution", ("文化", "电商运营")),
    ("第一中学", "school", ("教育", "人才", "文化")),
    ("第二中学", "school", ("教育", "文化")),
    ("职业技术学校", "school", ("培训", "技术", "教育")),
    ("实验小学", "school", ("教育", "文化")),
    ("人民医院", "hospital", ("医疗", "培训")),
    ("中医院", "hospital", ("医疗",)),
    ("妇幼保健院", "hospital", ("医疗", "教育")),
    ("疾病预防控制中心", "institution", ("医疗", "培训")),
    ("供电公司", "soe", ("基础设施", "资金", "技术")),
    ("农村商业银行", "soe", ("资金",)),
    ("城市建设投资集团有限公司", "soe", ("资金", "基础设施")),
    ("烟草专卖局", "soe", ("资金", "销路")),
    ("邮政分公司", "soe", ("销路", "电商运营")),
    ("水务集团有限公司", "soe", ("基础设施",)),
)
# Township-level organisations: township name + suffix.
TOWNSHIP_ORGANISATIONS = (
    ("卫生院", "hospital", ("医疗",)),
    ("中心学校", "school", ("教育", "文化")),
    ("农业综合服务中心", "institution", ("技术", "培训")),
)

# Modes of 强村带弱村 (seed 002: 以强并弱, 以大带小, 联合党组织; 村村联建).
LEAD_MODES = ("联合党组织", "以强带弱", "以大带小", "村村联建", "以强并弱")

SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARS = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌鹏宇浩凯健俊帆帅旭宁龙林欣晨阳波峰雪丹"
    "琳亮鑫海志国成东新春梅兰云飞振兵德荣光永利佳慧婷颖琪晓立忠"
)
EDUCATION = ("中专", "大专", "本科", "硕士研究生")
