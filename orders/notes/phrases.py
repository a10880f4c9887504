"""The words that make a note a request: the default phrase lists, as plain data.

A shop starts from these lists and a supervisor adds the shop's own words (``NotePhrases.with_words``);
the matcher (``orders.notes.reading``) takes whichever ``NotePhrases`` it is given. Every phrase is
written in Simplified Chinese or lower-case English: notes are matched after ``to_simplified`` and
``lower``, so 順豐 finds 顺丰 and "Gift Wrap" finds "gift wrap". A phrase that starts or ends with a
Latin letter or digit matches whole words only ("sf" is not found in "sofa").

* ``requests``: kind -> phrases that ask for it. A match does not count when a negation stands just
  before it in the same clause (不要顺丰, 别放贺卡, no card) or right after it (贺卡不用了).
* ``couriers``: courier code -> its names; the code is the finding's value (顺丰 -> SF).
* ``not_requests``: kind -> phrases that contain its words without asking for it (立刻 is not 刻,
  简单包装 is not gift wrap, 送到 is not a free gift): a match overlapping one is dropped.
* ``negations`` / ``negations_after``: what cancels a match before or after it; ``not_negations``:
  phrases that look like a negation and are not (别忘了放贺卡 asks for the card, 能不能发顺丰 for SF).

Delivery dates and times, and the texts of engravings and cards (from quotes or after a colon), are
patterns rather than words: ``orders.notes.patterns`` holds them.
"""

from dataclasses import dataclass, field, replace

from orders.text import to_simplified


def _phrases(listed: str) -> tuple[str, ...]:
    """A list written as one string, ", " between phrases (no phrase holds a comma)."""
    return tuple(listed.split(", "))


KINDS = (
    "courier",
    "gift_wrap",
    "engraving",
    "card_message",
    "free_gift",
    "fragile",
    "delivery_time",
    "address_change",
    "invoice",
)

# Negation does not apply to these: their own phrases are often negative (别压, 不要倒置).
NOT_NEGATABLE = ("fragile", "delivery_time")

REQUESTS: dict[str, tuple[str, ...]] = {
    "gift_wrap": _phrases(
        "礼品包装, 礼物包装, 礼盒包装, 礼盒装, 礼盒, 礼品盒, 礼品袋, 礼物袋, 礼袋, 包装成礼物, 包成礼物, "
        "包装成礼品, 包装一下, 包一下, 包装好看, 包装精美, 包装得精美, 包装得好看, 包装漂亮, 精美包装, 包装纸, "
        "蝴蝶结, gift wrap, gift-wrap, giftwrap, gift wrapped, gift-wrapped, gift wrapping, gift box, gift bag, "
        "wrap it, wrap them, wrapped as a gift"
    ),
    "engraving": _phrases("刻字, 刻, 镌刻, engrave, engraved, engraving"),
    "card_message": _phrases(
        "贺卡, 卡片, 祝福卡, 生日卡, 手写卡, 留言卡, 附言卡, 明信片, 心意卡, 祝福语, greeting card, birthday card, "
        "gift card, gift note, gift message, card, note saying"
    ),
    "free_gift": _phrases(
        "赠品, 赠送, 送的赠, 小样, 试用装, 送小礼物, 送点小礼物, 有小礼物, 多送, 再送一个, 再送个, 再送点, 多给, "
        "送我一个, 送我个, 送我点, 额外送, 送个, 送一个, 送一份, 送点, 送些, 送几个, 送两个, 送一双, 送双, 送一条, "
        "送条, 送一对, 买一送一, 送什么, 有送, free gift, free gifts, freebie, freebies, free sample, "
        "free samples, some samples, extra gift, small gift, little gift, throw in"
    ),
    "fragile": _phrases(
        "易碎, 易坏, 小心轻放, 轻拿轻放, 轻放, 小心点, 小心一点, 别磕, 磕坏, 怕压, 怕摔, 怕碎, 别压, 不要压, 勿压, "
        "防压, 别摔, 防摔, 防震, 抗震, 泡沫, 气泡膜, 气泡袋, 气泡柱, 泡泡纸, 泡泡膜, 珍珠棉, 多包几层, 多包一层, "
        "包结实, 包装结实, 包严实, 包装严实, 包好一点, 包好点, 包装好一点, 包装好点, 碎了, 压坏, 摔坏, 磕碰, 倒置, "
        "向上放, fragile, handle with care, bubble wrap, extra padding, pack it well, pack carefully, "
        "pack it carefully, breakable, this side up"
    ),
    "delivery_time": _phrases(
        "送货时间, 派送时间, 配送时间, 上班时间, 下班后, 下班以后, 白天没人, 白天不在, 晚上在家, 晚上送, 白天送, "
        "中午送, 上午送, 下午送, weekend delivery, weekday delivery, evening delivery, morning delivery, "
        "deliver on, deliver in the, deliver after, deliver before, deliver by, arrive by, arrive before, "
        "arrives by, arrives before, not home on, not at home on, nobody home, no one home, only on weekends, "
        "weekends only"
    ),
    "address_change": _phrases(
        "改地址, 修改地址, 更改地址, 换地址, 换个地址, 换一个地址, 地址改, 地址修改, 地址更改, 地址变更, 地址换, "
        "地址写错, 地址填错, 地址选错, 地址错了, 地址不对, 新地址, 改寄, 改发, 改送, 寄到公司, 寄到单位, 改收件人, "
        "收件人写, 收货人写, 换手机号, 换号码, 换电话, 改到, 收件人改, 收件人换, 收货人改, 收货人换, 改收货人, "
        "电话改, 电话换, 电话写错, 电话错了, 手机号改, 手机号换, 手机号写错, 号码改, 改电话, 改手机, "
        "change the address, change my address, change address, changed address, address change, new address, "
        "wrong address, address is wrong, update the address, update my address, update address, "
        "send it to my office, ship it to my office, ship to my office, deliver to my office, work address, "
        "office address, different address, change the phone, change the recipient"
    ),
    "invoice": _phrases(
        "发票, 开票, 开个票, 开张票, 普票, 专票, 增值税, 抬头, 税号, 收据, 统编, invoice, fapiao, vat receipt, receipt"
    ),
}

COURIERS: dict[str, tuple[str, ...]] = {
    "SF": _phrases("顺丰, 顺风快递, sf express, sf"),
    "ZTO": _phrases("中通, zto"),
    "YTO": _phrases("圆通, yto"),
    "STO": _phrases("申通, sto express, sto"),
    "YD": _phrases("韵达, yunda"),
    "JD": _phrases("京东快递, 京东物流, 京东, jd logistics, jd express, jd"),
    "EMS": _phrases("ems, 邮政, 中国邮政, 邮局, china post"),
}

NOT_REQUESTS: dict[str, tuple[str, ...]] = {
    "engraving": _phrases("立刻, 即刻, 此刻, 时刻, 深刻, 片刻, 一刻, 刻意, 苛刻"),
    "free_gift": _phrases("送到, 送达, 送货, 送过来, 送上门, 送人, 送给"),
    "gift_wrap": _phrases("简单包装, 简易包装, 原包装, 原厂包装, 包装盒, 过度包装"),
    "card_message": _phrases(
        "银行卡, 信用卡, 会员卡, 储值卡, 保修卡, credit card, bank card, by card, card payment, sd card, "
        "memory card, warranty card"
    ),
    "courier": _phrases("邮政编码"),
}

NEGATIONS: tuple[str, ...] = _phrases(
    "不要, 不用, 不需要, 不必, 无需, 别, 勿, 不发, 不走, 不寄, 不放, 不开, 不写, 不能, 不想, 不接受, 拒绝, 除了, "
    "免, don't, dont, do not, no , not , without, never, avoid, except, instead of, rather than"
)

NEGATIONS_AFTER: tuple[str, ...] = _phrases(
    "到不了, 送不到, 不到, 不要, 不用, 不需要, 不必, 免了, 就算了, 算了, 不放, 别放, 不开, 不写, 太慢, 不行, 不好, "
    "not needed, not required, not necessary, unnecessary, no thanks, is too slow, is slow"
)

NOT_NEGATIONS: tuple[str, ...] = _phrases(
    "别忘了, 别忘记, 别忘, 不要忘了, 不要忘记, 不能忘, 能不能, 可不可以, 要不要, 是不是, 会不会, don't forget, "
    "do not forget, not forget, no matter"
)


def _words(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value.strip().lower() for value in values if value and value.strip()))


Words = tuple[tuple[str, tuple[str, ...]], ...]  # (kind or courier code, phrases), hashable


def _merged(current: Words, added: dict[str, list[str]] | None) -> Words:
    words = {key: list(values) for key, values in current}
    for key, values in (added or {}).items():
        words.setdefault(key, []).extend(to_simplified(value) for value in values)
    return tuple((key, _words(values)) for key, values in words.items())


@dataclass(frozen=True)
class NotePhrases:
    """Everything the matcher knows, as tuples (hashable: a reading is cached per note and phrases)."""

    requests: Words = tuple(REQUESTS.items())
    couriers: Words = tuple(COURIERS.items())
    not_requests: Words = tuple(NOT_REQUESTS.items())
    negations: tuple[str, ...] = NEGATIONS
    negations_after: tuple[str, ...] = NEGATIONS_AFTER
    not_negations: tuple[str, ...] = NOT_NEGATIONS
    not_negatable: tuple[str, ...] = field(default=NOT_NEGATABLE)

    def with_words(
        self,
        *,
        requests: dict[str, list[str]] | None = None,
        couriers: dict[str, list[str]] | None = None,
        not_requests: dict[str, list[str]] | None = None,
    ) -> "NotePhrases":
        """These phrases plus a shop's own words: per kind (``requests``, ``not_requests``) and per
        courier code (``couriers``). Words are added, never removed: the defaults keep working."""
        kinds = set(KINDS) - {"courier"}
        unknown = (set(requests or {}) - kinds) | (set(not_requests or {}) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown request kinds: {sorted(unknown)}")
        return replace(
            self,
            requests=_merged(self.requests, requests),
            couriers=_merged(self.couriers, couriers),
            not_requests=_merged(self.not_requests, not_requests),
        )


DEFAULT_PHRASES = NotePhrases()
