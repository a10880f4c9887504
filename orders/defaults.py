"""The shop settings a new installation starts with (README, "A tour of the demo"): couriers and their
tracking formats, SF's surcharge by province, base fees, return policies, school holidays.

Plain data: the data migration writes it with historical models, and supervisors edit it in the
admin afterwards.
"""

from decimal import Decimal

# (provinces, base fee, remote, days in transit, SF surcharge): the warehouse is near Shanghai.
PROVINCE_ZONES: list[tuple[tuple[str, ...], str, bool, int, str]] = [
    (("上海市", "江苏省", "浙江省", "安徽省"), "6.00", False, 1, "6.00"),
    (
        ("北京市", "天津市", "河北省", "山东省", "福建省", "江西省", "河南省", "湖北省", "湖南省", "广东省"),
        "8.00",
        False,
        2,
        "10.00",
    ),
    (
        (
            "山西省",
            "辽宁省",
            "吉林省",
            "黑龙江省",
            "重庆市",
            "四川省",
            "贵州省",
            "云南省",
            "陕西省",
            "广西壮族自治区",
            "海南省",
        ),
        "10.00",
        False,
        3,
        "14.00",
    ),
    (("甘肃省", "青海省", "宁夏回族自治区", "内蒙古自治区"), "15.00", True, 4, "18.00"),
    (("新疆维吾尔自治区", "西藏自治区"), "20.00", True, 6, "25.00"),
    (("香港特别行政区", "澳门特别行政区", "台湾省"), "30.00", True, 5, "30.00"),
]

OVERSEAS_REGIONS = ("香港特别行政区", "澳门特别行政区", "台湾省")

# code, name, tracking pattern, used by the shop, default courier, default surcharge
COURIERS: list[tuple[str, str, str, bool, bool, str]] = [
    ("SF", "顺丰速运", r"SF\d{12,13}", True, False, "10.00"),
    ("ZTO", "中通快递", r"7\d{11,14}", True, True, "0.00"),
    ("STO", "申通快递", r"77\d{11}", True, True, "0.00"),
    ("YD", "韵达快递", r"\d{13}|\d{15}", True, True, "0.00"),
    ("YTO", "圆通速递", r"YT\d{13}", True, False, "0.00"),
    ("JD", "京东快递", r"JD[0-9A-Z]{11,16}", False, False, "5.00"),
    ("EMS", "中国邮政EMS", r"[A-Z]{2}\d{9}[A-Z]{2}|1\d{12}", True, False, "5.00"),
]

RETURN_POLICIES: list[dict] = [
    {
        "code": "apparel-7d",
        "name": "服装 7天无理由",
        "return_days": 7,
        "warranty_months": 0,
        "conditions_zh": "签收后7天内可无理由退换；吊牌需完好、衣物未下水洗涤、不影响二次销售。",
        "conditions_en": "7-day no-reason returns after delivery; tags must stay on and the clothes unwashed.",
    },
    {
        "code": "shoes-7d",
        "name": "鞋类 7天无理由",
        "return_days": 7,
        "warranty_months": 0,
        "conditions_zh": "签收后7天内可无理由退换；请在干净光洁的地面或垫一张报纸试穿，鞋底无磨损、鞋盒完好。",
        "conditions_en": "7-day no-reason returns; please try the shoes on a clean floor or on paper, "
        "and keep the soles unworn and the box intact.",
    },
    {
        "code": "electronics-7d",
        "name": "数码 7天无理由 + 保修",
        "return_days": 7,
        "warranty_months": 12,
        "conditions_zh": "签收后7天内可无理由退货（未激活、配件齐全、包装完好）；整机保修12个月，保修凭订单号。",
        "conditions_en": "7-day no-reason returns if unactivated, complete and in its box; "
        "a 12-month warranty on the order number.",
    },
    {
        "code": "furniture-15d",
        "name": "家具 15天退换",
        "return_days": 15,
        "warranty_months": 12,
        "conditions_zh": "签收后15天内可退换，需保持包装完好；大件退回运费由买家承担；保修1年。",
        "conditions_en": "15-day returns with the packaging intact; the buyer pays return freight for bulky goods; "
        "a 1-year warranty.",
    },
    {
        "code": "jewellery-30d",
        "name": "饰品 30天退换",
        "return_days": 30,
        "warranty_months": 0,
        "conditions_zh": "签收后30天内可退换，需附带证书与包装，未佩戴磨损。",
        "conditions_en": "30-day returns with the certificate and packaging, unworn.",
    },
    {
        "code": "general-7d",
        "name": "通用 7天无理由",
        "return_days": 7,
        "warranty_months": 0,
        "conditions_zh": "签收后7天内可无理由退货；商品及包装需完好、不影响二次销售。",
        "conditions_en": "7-day no-reason returns; the goods and their packaging must be intact and resaleable.",
    },
    {
        "code": "custom-none",
        "name": "定制商品 不支持无理由退换",
        "return_days": 0,
        "warranty_months": 0,
        "conditions_zh": "定制（刻字）商品不支持7天无理由退换货，质量问题除外。",
        "conditions_en": "Customised (engraved) goods cannot be returned without a reason; quality problems excepted.",
    },
]

SCHOOL_HOLIDAYS: list[tuple[str, int, int, int, int]] = [
    ("寒假", 1, 10, 2, 28),
    ("暑假", 7, 1, 8, 31),
]


def shop_defaults_seed(apps) -> None:
    """Write the defaults with the models ``apps`` gives (historical models in a migration)."""
    province_rule = apps.get_model("orders", "ProvinceRule")
    courier_model = apps.get_model("orders", "Courier")
    courier_rule = apps.get_model("orders", "CourierProvinceRule")
    return_policy = apps.get_model("orders", "ReturnPolicy")
    school_holiday = apps.get_model("orders", "SchoolHoliday")
    shop_settings = apps.get_model("orders", "ShopSettings")

    shop_settings.objects.get_or_create(pk=1)
    for provinces, base_fee, remote, days, _sf in PROVINCE_ZONES:
        for province in provinces:
            province_rule.objects.update_or_create(
                province=province,
                defaults={"base_fee": Decimal(base_fee), "remote": remote, "transit_days": days},
            )
    for code, name, pattern, in_use, is_default, surcharge in COURIERS:
        courier, _created = courier_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "tracking_pattern": pattern,
                "in_use": in_use,
                "is_default": is_default,
                "default_surcharge": Decimal(surcharge),
            },
        )
        for provinces, _fee, _remote, _days, sf_surcharge in PROVINCE_ZONES:
            for province in provinces:
                if code == "SF":
                    courier_rule.objects.update_or_create(
                        courier=courier,
                        province=province,
                        defaults={"surcharge": Decimal(sf_surcharge), "serves": True},
                    )
                elif province in OVERSEAS_REGIONS and code != "EMS":
                    courier_rule.objects.update_or_create(
                        courier=courier, province=province, defaults={"surcharge": Decimal("0"), "serves": False}
                    )
    for values in RETURN_POLICIES:
        return_policy.objects.update_or_create(code=values["code"], defaults=values)
    for name, start_month, start_day, end_month, end_day in SCHOOL_HOLIDAYS:
        school_holiday.objects.update_or_create(
            name=name,
            defaults={"start_month": start_month, "start_day": start_day, "end_month": end_month, "end_day": end_day},
        )
