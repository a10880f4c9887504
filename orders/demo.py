"""Demo data: a realistic catalogue, buyers with work, home and school addresses, and orders that
reproduce the situations of the seed manuals. Used by ``manage.py seed_demo``."""

from decimal import Decimal

from orders.services.catalog import VariantRow


def _v(sku, code, name, category, size, colour, price, stock, policy, **product) -> VariantRow:
    return VariantRow(
        sku=sku,
        product_code=code,
        product_name=name,
        category=category,
        size=size,
        colour=colour,
        price=Decimal(price),
        stock=stock,
        return_policy=policy,
        **product,
    )


CATALOGUE: list[VariantRow] = [
    *[
        _v(f"TEE-{c}-{s}", "TEE", "纯棉圆领T恤", "apparel", s, colour, "99.00", stock, "apparel-7d")
        for c, colour, sizes, stock in [
            ("RED", "红色", "M L XL", 40),
            ("WHITE", "白色", "S M L", 60),
            ("BLACK", "黑色", "M L", 25),
        ]
        for s in sizes.split()
    ],
    *[
        _v(f"SHIRT-{c}-{s}", "SHIRT", "商务长袖衬衫", "apparel", s, colour, "169.00", 20, "apparel-7d")
        for c, colour, sizes in [("WHITE", "白色", "M L XL"), ("BLUE", "蓝色", "M L")]
        for s in sizes.split()
    ],
    _v("DRESS-RED-S", "DRESS", "碎花连衣裙", "apparel", "S", "红色", "299.00", 1, "apparel-7d"),
    _v("DRESS-RED-M", "DRESS", "碎花连衣裙", "apparel", "M", "红色", "299.00", 8, "apparel-7d"),
    _v("DRESS-BLACK-S", "DRESS", "碎花连衣裙", "apparel", "S", "黑色", "299.00", 5, "apparel-7d"),
    _v("DRESS-BLACK-M", "DRESS", "碎花连衣裙", "apparel", "M", "黑色", "299.00", 0, "apparel-7d"),
    *[
        _v(f"SHOE-WHITE-{s}", "SHOE", "轻便小白鞋", "shoes", s, "白色", "259.00", 12, "shoes-7d")
        for s in ["39", "40", "41", "42", "43"]
    ],
    _v(
        "SOFA-GREY",
        "SOFA",
        "三人位布艺沙发",
        "furniture",
        "",
        "灰色",
        "2999.00",
        4,
        "furniture-15d",
        bulky=True,
        usual_max_quantity=1,
    ),
    _v(
        "SOFA-BEIGE",
        "SOFA",
        "三人位布艺沙发",
        "furniture",
        "",
        "米色",
        "2999.00",
        2,
        "furniture-15d",
        bulky=True,
        usual_max_quantity=1,
    ),
    *[
        _v(
            f"RING-SILVER-{s}",
            "RING",
            "925银素圈戒指（可刻字）",
            "jewellery",
            s,
            "银色",
            "199.00",
            15,
            "jewellery-30d",
            engravable=True,
            max_engraving_chars=8,
        )
        for s in ["10", "12", "14"]
    ],
    _v("EARBUDS-BLACK", "EARBUDS", "降噪蓝牙耳机", "electronics", "", "黑色", "399.00", 30, "electronics-7d"),
    _v("EARBUDS-WHITE", "EARBUDS", "降噪蓝牙耳机", "electronics", "", "白色", "399.00", 30, "electronics-7d"),
    _v(
        "MUG-WHITE",
        "MUG",
        "陶瓷马克杯（可刻字）",
        "home",
        "",
        "白色",
        "49.00",
        50,
        "general-7d",
        engravable=True,
        max_engraving_chars=12,
    ),
    _v("CUSHION-BEIGE", "CUSHION", "棉麻靠枕", "home", "", "米色", "59.00", 20, "general-7d"),  # demo_gifts
]


def _address(recipient, phone, province, city, district, street, postcode, kind) -> dict:
    return {
        "recipient": recipient,
        "phone": phone,
        "province": province,
        "city": city,
        "district": district,
        "street": street,
        "postcode": postcode,
        "kind": kind,
    }


LILEI_WORK = _address(
    "李雷", "13800138000", "上海市", "上海市", "浦东新区", "世纪大道100号 环球金融中心大厦8楼", "200120", "work"
)
LILEI_HOME = _address("李雷", "13800138000", "上海市", "上海市", "徐汇区", "漕溪北路88弄3号502", "200030", "home")
HAN_SCHOOL = _address(
    "韩梅梅", "13900139000", "北京市", "北京市", "海淀区", "颐和园路5号 北京大学学生宿舍36楼302", "100871", "school"
)
WANG_HOME = _address(
    "王芳", "13700137000", "浙江省", "杭州市", "西湖区", "文三路478号 华星时代12-3-501", "310013", "home"
)
ZHANG_HOME = _address(
    "张伟", "13609910000", "新疆维吾尔自治区", "乌鲁木齐市", "天山区", "解放北路88号", "830002", "home"
)
CHEN_WORK = _address("陈静", "18612345678", "广东省", "深圳市", "南山区", "科苑路15号 科兴科学园A栋", "518057", "work")
ZHAO_HOME = _address("赵强", "025-83456789", "江苏省", "南京市", "鼓楼区", "中山北路18号", "210008", "home")
LIU_HOME = _address("刘洋", "15000150000", "四川省", "成都市", "武侯区", "人民南路四段27号", "610041", "home")
ZHOU_HOME = _address("周杰", "13312345678", "福建省", "厦门市", "思明区", "湖滨南路57号 3-1201", "361004", "home")
SUN_HOME = _address("孙丽", "13512345678", "广东省", "广州市", "天河区", "体育西路101号", "510620", "home")

CUSTOMERS: dict[str, dict] = {
    "lilei": {"external_id": "buyer-lilei", "name": "李雷", "phone": "13800138000", "default_address": LILEI_WORK},
    "han": {"external_id": "buyer-hanmeimei", "name": "韩梅梅", "phone": "13900139000", "default_address": HAN_SCHOOL},
    "wang": {"external_id": "buyer-wangfang", "name": "王芳", "phone": "13700137000", "default_address": WANG_HOME},
    "zhang": {"external_id": "buyer-zhangwei", "name": "张伟", "phone": "13609910000", "default_address": ZHANG_HOME},
    "chen": {
        "external_id": "buyer-chenjing",
        "name": "陈静",
        "phone": "18612345678",
        "default_address": CHEN_WORK,
        "language": "en",
    },
    "zhao": {"external_id": "buyer-zhaoqiang", "name": "赵强", "phone": "025-83456789", "default_address": ZHAO_HOME},
    "liu": {"external_id": "buyer-liuyang", "name": "刘洋", "phone": "15000150000", "default_address": LIU_HOME},
    "sun": {"external_id": "buyer-sunli", "name": "孙丽", "phone": "13512345678", "default_address": SUN_HOME},
    "zhou": {"external_id": "buyer-zhoujie", "name": "周杰", "phone": "13312345678", "default_address": ZHOU_HOME},
}


def _line(sku: str, quantity: int = 1, **extra) -> dict:
    return {"sku": sku, "quantity": quantity, **extra}


# (what the order shows, the order body without customer, which customer)
ORDERS: list[tuple[str, str, dict]] = [
    (
        "学生寒假期间寄往学校",
        "han",
        {
            "placed_at": "2026-01-15T09:00:00+08:00",
            "shipping_address": HAN_SCHOOL,
            "lines": [_line("TEE-WHITE-M")],
            "shipping_fee": "8.00",
        },
    ),
    (
        "大件沙发寄往公司",
        "lilei",
        {"shipping_address": LILEI_WORK, "lines": [_line("SOFA-GREY")], "shipping_fee": "0.00"},
    ),
    (
        "指定顺丰到新疆，只付了基础运费",
        "zhang",
        {
            "shipping_address": ZHANG_HOME,
            "lines": [_line("TEE-BLACK-L")],
            "shipping_fee": "20.00",
            "special_requests": {"courier": "SF"},
        },
    ),
    (
        "同一件衬衫拍了两个尺码",
        "wang",
        {
            "shipping_address": WANG_HOME,
            "lines": [_line("SHIRT-WHITE-M"), _line("SHIRT-WHITE-L")],
            "shipping_fee": "0.00",
        },
    ),
    (
        "戒指刻字超长",
        "chen",
        {
            "shipping_address": CHEN_WORK,
            "lines": [_line("RING-SILVER-12")],
            "shipping_fee": "0.00",
            "special_requests": {
                "engraving": "致我最爱的陈静小姐生日快乐",
                "gift_wrap": True,
                "card_message": "生日快乐！",
            },
        },
    ),
    (
        "默认地址是公司，这次寄回家",
        "lilei",
        {"shipping_address": LILEI_HOME, "lines": [_line("TEE-RED-XL")], "shipping_fee": "6.00"},
    ),
    (
        "商品编码不在目录中",
        "liu",
        {
            "shipping_address": LIU_HOME,
            "lines": [_line("HAT-BLUE-L", unit_price="79.00", product_name="渔夫帽")],
            "shipping_fee": "10.00",
        },
    ),
    (
        "尺码与SKU不符",
        "sun",
        {"shipping_address": SUN_HOME, "lines": [_line("TEE-RED-M", size="L")], "shipping_fee": "8.00"},
    ),
    ("库存不足", "wang", {"shipping_address": WANG_HOME, "lines": [_line("DRESS-RED-S", 2)], "shipping_fee": "0.00"}),
    (
        "数量异常（活动抢购）",
        "liu",
        {"shipping_address": LIU_HOME, "lines": [_line("TEE-WHITE-L", 12)], "shipping_fee": "0.00"},
    ),
    (
        "礼品包装和贺卡",
        "sun",
        {
            "shipping_address": SUN_HOME,
            "lines": [_line("EARBUDS-WHITE")],
            "shipping_fee": "0.00",
            "special_requests": {"gift_wrap": True, "card_message": "生日快乐，天天开心！"},
        },
    ),
    (
        "一小时内重复下单（一）",
        "sun",
        {
            "placed_at": "2026-11-22T09:00:00+08:00",
            "shipping_address": SUN_HOME,
            "lines": [_line("SHOE-WHITE-40")],
            "shipping_fee": "0.00",
        },
    ),
    (
        "一小时内重复下单（二），可合并",
        "sun",
        {
            "placed_at": "2026-11-22T09:40:00+08:00",
            "shipping_address": SUN_HOME,
            "lines": [_line("SHOE-WHITE-40")],
            "shipping_fee": "0.00",
        },
    ),
    (
        "收件电话是座机",
        "zhao",
        {"shipping_address": ZHAO_HOME, "lines": [_line("MUG-WHITE", 2)], "shipping_fee": "8.00"},
    ),
    (
        "手机号无效",
        "liu",
        {
            "shipping_address": {**LIU_HOME, "phone": "12345678901"},
            "lines": [_line("TEE-RED-L")],
            "shipping_fee": "10.00",
        },
    ),
    (
        "双地址：详细地址写的是北京",
        "lilei",
        {
            "shipping_address": {**LILEI_HOME, "street": "北京市朝阳区建国路88号 SOHO现代城"},
            "lines": [_line("TEE-BLACK-M")],
            "shipping_fee": "6.00",
        },
    ),
    (
        "地址不完整",
        "wang",
        {"shipping_address": {**WANG_HOME, "street": ""}, "lines": [_line("TEE-WHITE-S")], "shipping_fee": "6.00"},
    ),
    (
        "单价与目录价不符",
        "chen",
        {"shipping_address": CHEN_WORK, "lines": [_line("EARBUDS-BLACK", unit_price="299.00")], "shipping_fee": "0.00"},
    ),
    (
        "指定了店铺不用的快递",
        "wang",
        {
            "shipping_address": WANG_HOME,
            "lines": [_line("TEE-RED-M")],
            "shipping_fee": "6.00",
            "special_requests": {"courier": "JD"},
        },
    ),
    (
        "运费低于店铺规则",
        "liu",
        {
            "shipping_address": {
                **LIU_HOME,
                "province": "黑龙江省",
                "city": "哈尔滨市",
                "district": "南岗区",
                "street": "西大直街92号",
                "postcode": "150001",
            },
            "lines": [_line("TEE-RED-M")],
            "shipping_fee": "0.00",
        },
    ),
    ("干净的订单", "zhou", {"shipping_address": ZHOU_HOME, "lines": [_line("SHIRT-BLUE-L")], "shipping_fee": "0.00"}),
    (
        "备注里写了要求",
        "sun",
        {
            "shipping_address": SUN_HOME,
            "lines": [_line("MUG-WHITE", 2)],
            "shipping_fee": "8.00",
            "buyer_note": "请发顺丰，易碎品小心轻放，多送一个赠品",
        },
    ),
    (
        "备注的快递与指定快递不一致",
        "liu",
        {
            "shipping_address": LIU_HOME,
            "lines": [_line("TEE-WHITE-M")],
            "shipping_fee": "10.00",
            "special_requests": {"courier": "ZTO"},
            "buyer_note": "麻烦发顺丰",
        },
    ),
    (
        "繁体地址：沙发寄往大廈",
        "chen",
        {
            "shipping_address": {**CHEN_WORK, "kind": "", "district": "南山區", "street": "科技園 騰訊大廈 12樓"},
            "lines": [_line("SOFA-BEIGE")],
            "shipping_fee": "0.00",
        },
    ),
    (
        "以前买过42码，这次拍了40码",
        "lilei",
        {"shipping_address": LILEI_HOME, "lines": [_line("SHOE-WHITE-40")], "shipping_fee": "0.00"},
    ),
]

# A clean order with a promise to read back: seed_demo confirms it, so the console shows the
# buyer's confirmation message (masked phone, engraving word for word, no no-reason return).
CONFIRMED_DEMO_ORDER: tuple[str, str, dict] = (
    "刻字马克杯，核对后已确认",
    "wang",
    {
        "shipping_address": WANG_HOME,
        "lines": [_line("MUG-WHITE"), _line("TEE-WHITE-M")],
        "shipping_fee": "0.00",
        "special_requests": {"engraving": "王芳生日快乐", "gift_wrap": True},
    },
)

# seed_demo has an agent charge SF's fee on this paid order: a balance due (补差价) asked of the buyer.
_SF = {"courier": "SF"}
BALANCE_DUE_DEMO_ORDER: tuple[str, str, dict] = (
    "指定顺丰到上海，只付了基础运费：客服已改运费，等买家补差价",
    "lilei",
    {"shipping_address": LILEI_HOME, "lines": [_line("TEE-WHITE-M")], "shipping_fee": "6.00", "special_requests": _SF},
)

# Orders that already went through the whole cycle, so that history-based checks have something.
PAST_ORDERS: list[tuple[str, str, dict]] = [
    (
        "上个月买过42码小白鞋",
        "lilei",
        {
            "placed_at": "2026-10-20T20:00:00+08:00",
            "payment_status": "paid",
            "shipping_address": LILEI_HOME,
            "lines": [_line("SHOE-WHITE-42")],
            "shipping_fee": "0.00",
        },
    ),
]
