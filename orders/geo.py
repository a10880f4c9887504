"""Chinese provinces and their prefecture-level cities, and the normalisation of place names.

Buyers write 上海 or 上海市, 广西 or 广西壮族自治区, 廣東 or 广东省. Every comparison goes through
``canonical_province`` so those spellings compare equal. The city lists are used to spot a street
line that names a different province or city than the address fields (双地址).
"""

import functools
import re
from dataclasses import dataclass

from orders.text import normalise_text


@dataclass(frozen=True)
class Province:
    name: str  # the official name, e.g. 广西壮族自治区
    short: str  # the name people write, e.g. 广西
    cities: tuple[str, ...]  # prefecture-level cities without the 市 suffix


def _p(name: str, short: str, cities: str) -> Province:
    return Province(name=name, short=short, cities=tuple(cities.split()))


PROVINCES: tuple[Province, ...] = (
    _p("北京市", "北京", "北京"),
    _p("天津市", "天津", "天津"),
    _p("上海市", "上海", "上海"),
    _p("重庆市", "重庆", "重庆"),
    _p("河北省", "河北", "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水"),
    _p("山西省", "山西", "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁"),
    _p("辽宁省", "辽宁", "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛"),
    _p("吉林省", "吉林", "长春 吉林 四平 辽源 通化 白山 松原 白城"),
    _p("黑龙江省", "黑龙江", "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化"),
    _p("江苏省", "江苏", "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁"),
    _p("浙江省", "浙江", "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水"),
    _p("安徽省", "安徽", "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城"),
    _p("福建省", "福建", "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德"),
    _p("江西省", "江西", "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶"),
    _p("山东省", "山东", "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽"),
    _p(
        "河南省",
        "河南",
        "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店",
    ),
    _p("湖北省", "湖北", "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州"),
    _p("湖南省", "湖南", "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底"),
    _p(
        "广东省",
        "广东",
        "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮",
    ),
    _p("广西壮族自治区", "广西", "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左"),
    _p("海南省", "海南", "海口 三亚 三沙 儋州"),
    _p(
        "四川省",
        "四川",
        "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳",
    ),
    _p("贵州省", "贵州", "贵阳 六盘水 遵义 安顺 毕节 铜仁"),
    _p("云南省", "云南", "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧"),
    _p("西藏自治区", "西藏", "拉萨 日喀则 昌都 林芝 山南 那曲"),
    _p("陕西省", "陕西", "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛"),
    _p("甘肃省", "甘肃", "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南"),
    _p("青海省", "青海", "西宁 海东"),
    _p("宁夏回族自治区", "宁夏", "银川 石嘴山 吴忠 固原 中卫"),
    _p("新疆维吾尔自治区", "新疆", "乌鲁木齐 克拉玛依 吐鲁番 哈密"),
    _p("内蒙古自治区", "内蒙古", "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布"),
    _p("台湾省", "台湾", "台北 新北 桃园 台中 台南 高雄 基隆 新竹 嘉义"),
    _p("香港特别行政区", "香港", "香港"),
    _p("澳门特别行政区", "澳门", "澳门"),
)

_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


@functools.cache
def _province_index() -> dict[str, Province]:
    index: dict[str, Province] = {}
    for province in PROVINCES:
        for spelling in (province.name, province.short):
            index[normalise_text(spelling)] = province
    return index


def find_province(name: str | None) -> Province | None:
    """The province a buyer meant by ``name`` (上海, 上海市, 廣東省, ...), or None."""
    key = normalise_text(name)
    if not key:
        return None
    index = _province_index()
    if key in index:
        return index[key]
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in index:
            return index[key[: -len(suffix)]]
    return None


def canonical_province(name: str | None) -> str:
    """The official province name, or the normalised text when the name is not a known province."""
    province = find_province(name)
    return province.name if province else normalise_text(name)


def canonical_city(name: str | None) -> str:
    """A city name without its 市 suffix, normalised, so 上海 and 上海市 compare equal."""
    key = normalise_text(name)
    return key[:-1] if key.endswith("市") and len(key) > 2 else key


# A place name counts as named in a street line only with its suffix (南京市, 江苏省), and not when
# the suffix starts a street or market name: 南京路 and 北京市场 are places in other cities.
_NOT_A_PLACE_AFTER = "路街道巷弄场"


@functools.cache
def _place_pattern() -> re.Pattern[str]:
    names: list[str] = []
    for province in PROVINCES:
        names.append(re.escape(province.name))
        if not province.name.endswith("市"):
            names.append(re.escape(province.short) + "省")
        names.extend(re.escape(city) + "市" for city in province.cities)
    names.sort(key=len, reverse=True)
    return re.compile(f"({'|'.join(names)})(?![{_NOT_A_PLACE_AFTER}])")


@functools.cache
def _place_owner() -> dict[str, tuple[Province, str]]:
    owner: dict[str, tuple[Province, str]] = {}
    for province in PROVINCES:
        owner[province.name] = (province, "")
        owner[province.short + "省"] = (province, "")
        for city in province.cities:
            owner.setdefault(city + "市", (province, city))
    return owner


def places_named_in(text: str | None) -> list[tuple[Province, str]]:
    """Provinces and cities written out in free text, as (province, city or "") pairs."""
    normalised = normalise_text(text)
    owner = _place_owner()
    return [owner[match] for match in _place_pattern().findall(normalised)]
