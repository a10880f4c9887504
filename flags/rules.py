"""Which request or finding gets which flag category, and the default colour of each category.

The colour of a category is data a supervisor edits (FlagCategory); this module only says which
*category* each cause belongs to and what the flag's note says.
"""

from django.utils.translation import gettext as _

from orders.checks.base import Finding
from orders.checks.messages import check_message

COURIER, PRODUCT, ADDRESS, GIFT, ABNORMAL = "courier", "product", "address", "gift", "abnormal"

# code, name, default colour, position, description — seeded by the flags data migration.
DEFAULT_CATEGORIES = [
    (COURIER, "快递 Courier", "red", 1, "指定快递、加价、快递不可用"),
    (PRODUCT, "商品 Product", "green", 2, "尺码、颜色、数量、库存"),
    (ADDRESS, "地址 Address", "yellow", 3, "修改地址、收件人、电话"),
    (GIFT, "定制/礼品 Customisation & gift", "blue", 4, "礼品包装、刻字、贺卡"),
    (ABNORMAL, "其他/异常 Other & abnormal", "purple", 5, "重复订单、买家要求修改等"),
]

# Taobao's flag numbers, for connectors that map our colours at the edge.
TAOBAO_FLAG = {"grey": 0, "red": 1, "yellow": 2, "green": 3, "blue": 4, "purple": 5}

# Findings that raise an automatic flag, by category. A flag clears when its finding is resolved.
FINDING_CATEGORIES = {
    "request.courier_unavailable": COURIER,
    "line.unknown_sku": PRODUCT,
    "line.variant_mismatch": PRODUCT,
    "line.out_of_stock": PRODUCT,
    "line.quantity_unusual": PRODUCT,
    "line.multiple_sizes": PRODUCT,
    "order.possible_duplicate": ABNORMAL,
    "gift.added": GIFT,  # the warehouse packs the free gifts (赠品) with the order
}

# Causes that sync manages: everything derived from the order's requests and findings. Event-born
# causes ("address_changed", "buyer_change_request") are not: they stay until someone clears them.
SYNCED_PREFIXES = ("request.", "check:")


def finding_cause(finding: Finding) -> str:
    return f"check:{finding.code}:{finding.key}" if finding.key else f"check:{finding.code}"


def desired_auto_flags(order, findings: list[Finding]) -> dict[str, tuple[str, str]]:
    """cause -> (category code, note) for every automatic flag the order should carry now.

    Notes are written in the shop's language when the flag is set (the caller activates it); gift,
    engraving and card texts are copied verbatim.
    """
    wanted: dict[str, tuple[str, str]] = {}
    if order.requested_courier:
        courier_finding = next((f for f in findings if f.code == "request.courier"), None)
        surcharge = courier_finding.data.get("surcharge") if courier_finding else None
        note = _("Ship with %(courier)s only (promised to the buyer).") % {"courier": order.requested_courier}
        if surcharge:
            note += " " + _("Surcharge: %(surcharge)s.") % {"surcharge": surcharge}
        wanted["request.courier"] = (COURIER, note)
    if order.gift_wrap:
        wanted["request.gift_wrap"] = (GIFT, _("Gift wrap."))
    if order.engraving_text:
        wanted["request.engraving"] = (GIFT, _("Engraving: “%(text)s”") % {"text": order.engraving_text})
    if order.card_message:
        wanted["request.card_message"] = (GIFT, _("Card: “%(text)s”") % {"text": order.card_message})
    for finding in findings:
        category = FINDING_CATEGORIES.get(finding.code)
        if category is not None:
            wanted[finding_cause(finding)] = (category, check_message(finding.code, finding.data))
    return wanted
