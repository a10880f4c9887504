"""The after-sale tables' defaults (seed 001): each kind's priority, each priority's hours, and reply
templates that open with an apology (及时致歉), in Chinese and English. Written by the ``0012_cases``
migration and put back by the browser tests after a truncation; supervisors edit them in the admin."""

from orders.models.cases import CASE_DEFAULT_DUE_HOURS, CASE_DEFAULT_PRIORITIES

# title, kind ("" for every kind), language, text
REPLY_TEMPLATES = [
    ("致歉 · 通用", "", "zh-hans", "非常抱歉给您带来不便！我们已经收到您的反馈，会尽快为您处理，请您放心。"),
    ("Apology · general", "", "en", "We are very sorry for the trouble. We have your message and are on it now."),
    (
        "致歉 · 物流",
        "logistics",
        "zh-hans",
        "非常抱歉让您久等了！我们已联系快递公司核实包裹的位置，有消息会第一时间告诉您。",
    ),
    (
        "Apology · parcel",
        "logistics",
        "en",
        "We are sorry you are still waiting. We have asked the courier where the parcel is and will tell you at once.",
    ),
    (
        "致歉 · 差评",
        "bad_review",
        "zh-hans",
        "非常抱歉这次购物没有让您满意！请告诉我们哪里做得不好，我们一定给您一个满意的解决方案。",
    ),
    (
        "Apology · review",
        "bad_review",
        "en",
        "We are sorry this order let you down. Please tell us what went wrong and we will put it right.",
    ),
    (
        "致歉 · 质量",
        "quality",
        "zh-hans",
        "非常抱歉商品出现了问题！麻烦您拍几张照片发给我们，我们马上为您安排退换或退款。",
    ),
    (
        "Apology · quality",
        "quality",
        "en",
        "We are sorry the goods are not right. Please send us a few photos and we will arrange a return or a refund.",
    ),
]


def case_defaults_seed(apps) -> None:
    """Write the defaults with the models ``apps`` gives (historical models in a migration); rows that
    exist keep the shop's values."""
    rule = apps.get_model("orders", "CaseRule")
    due_time = apps.get_model("orders", "CaseDueTime")
    template = apps.get_model("orders", "CaseReplyTemplate")
    for kind, priority in CASE_DEFAULT_PRIORITIES.items():
        rule.objects.get_or_create(kind=str(kind), defaults={"priority": priority})
    for priority, hours in CASE_DEFAULT_DUE_HOURS.items():
        due_time.objects.get_or_create(priority=priority, defaults={"hours": hours})
    if not template.objects.exists():
        template.objects.bulk_create(
            template(title=title, kind=kind, language=language, text=text, position=position)
            for position, (title, kind, language, text) in enumerate(REPLY_TEMPLATES)
        )
