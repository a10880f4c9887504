"""A read-only snapshot of the shop's settings, loaded in a handful of queries and cached.

Intake, checks and pricing read the settings many times per order; one snapshot per process,
refreshed when a supervisor saves a setting (signal, same process) or after ``TTL_SECONDS``
(other processes: gunicorn workers and Celery pick up a change within that time).
"""

import re
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models.signals import m2m_changed, post_delete, post_save

from orders.geo import canonical_province
from orders.gifts import GiftRuleFacts
from orders.models import (
    Courier,
    CourierProvinceRule,
    GiftRule,
    NotePhrase,
    ProvinceRule,
    SchoolHoliday,
    ShopSettings,
)
from orders.notes import DEFAULT_PHRASES, NotePhrases
from orders.notes.shop import shop_note_phrases

TTL_SECONDS = 30.0


@dataclass(frozen=True)
class ProvinceFacts:
    province: str
    base_fee: Decimal
    remote: bool
    transit_days: int


@dataclass(frozen=True)
class CourierFacts:
    code: str
    name: str
    in_use: bool
    is_default: bool
    default_surcharge: Decimal
    tracking_pattern: re.Pattern[str]
    # province -> (surcharge, serves)
    provinces: dict[str, tuple[Decimal, bool]] = field(default_factory=dict)

    def surcharge_for(self, province: str) -> Decimal:
        rule = self.provinces.get(canonical_province(province))
        return rule[0] if rule else self.default_surcharge

    def serves(self, province: str) -> bool:
        rule = self.provinces.get(canonical_province(province))
        return rule[1] if rule else True

    def tracking_matches(self, number: str) -> bool:
        return self.tracking_pattern.fullmatch(number) is not None


@dataclass(frozen=True)
class Holiday:
    name: str
    start: tuple[int, int]
    end: tuple[int, int]

    def contains(self, month: int, day: int) -> bool:
        point = (month, day)
        if self.start <= self.end:
            return self.start <= point <= self.end
        return point >= self.start or point <= self.end


@dataclass(frozen=True)
class ShopConfig:
    settings: ShopSettings
    provinces: dict[str, ProvinceFacts]
    couriers: dict[str, CourierFacts]
    holidays: tuple[Holiday, ...]
    # The words that make a note a request: the defaults until the shop's own lists are loaded here.
    note_phrases: NotePhrases = DEFAULT_PHRASES
    # The active free-gift rules (orders.gifts), by id.
    gift_rules: tuple[GiftRuleFacts, ...] = ()

    def province(self, name: str) -> ProvinceFacts:
        """Facts for a destination; an unknown province gets the dearest, slowest known facts."""
        facts = self.provinces.get(canonical_province(name))
        if facts is not None:
            return facts
        if not self.provinces:
            return ProvinceFacts(province=name, base_fee=Decimal("0.00"), remote=False, transit_days=3)
        return ProvinceFacts(
            province=name,
            base_fee=max(p.base_fee for p in self.provinces.values()),
            remote=False,
            transit_days=max(p.transit_days for p in self.provinces.values()),
        )

    def stalled_after_days(self, province: str) -> int:
        """Days without tracking news after which a parcel to ``province`` is stalled (remote ones wait longer)."""
        if self.province(province).remote:
            return self.settings.stalled_after_days_remote
        return self.settings.stalled_after_days

    @property
    def default_couriers(self) -> list[str]:
        return sorted(code for code, c in self.couriers.items() if c.is_default and c.in_use)


def _load() -> ShopConfig:
    rules: dict[int, dict[str, tuple[Decimal, bool]]] = {}
    for rule in CourierProvinceRule.objects.all():
        rules.setdefault(rule.courier_id, {})[canonical_province(rule.province)] = (rule.surcharge, rule.serves)
    couriers = {
        c.code: CourierFacts(
            code=c.code,
            name=c.name,
            in_use=c.in_use,
            is_default=c.is_default,
            default_surcharge=c.default_surcharge,
            tracking_pattern=re.compile(c.tracking_pattern),
            provinces=rules.get(c.pk, {}),
        )
        for c in Courier.objects.all()
    }
    provinces = {
        canonical_province(p.province): ProvinceFacts(
            province=p.province, base_fee=p.base_fee, remote=p.remote, transit_days=p.transit_days
        )
        for p in ProvinceRule.objects.all()
    }
    holidays = tuple(
        Holiday(name=h.name, start=(h.start_month, h.start_day), end=(h.end_month, h.end_day))
        for h in SchoolHoliday.objects.all()
    )
    return ShopConfig(
        settings=ShopSettings.load(),
        provinces=provinces,
        couriers=couriers,
        holidays=holidays,
        note_phrases=shop_note_phrases(NotePhrase.objects.select_related("courier")),
        gift_rules=_gift_rules(),
    )


def _gift_rules() -> tuple[GiftRuleFacts, ...]:
    rules = GiftRule.objects.filter(active=True).select_related("gift_variant").prefetch_related("trigger_variants")
    return tuple(
        GiftRuleFacts(
            id=rule.pk,
            name=rule.name,
            gift_sku=rule.gift_variant.sku,
            quantity=rule.quantity,
            threshold=rule.threshold,
            trigger_skus=frozenset(variant.sku for variant in rule.trigger_variants.all()),
            valid_from=rule.valid_from,
            valid_to=rule.valid_to,
            limit_per_order=rule.limit_per_order,
        )
        for rule in rules.order_by("id")
    )


_lock = threading.Lock()
_cached: tuple[float, ShopConfig] | None = None


def shop_config() -> ShopConfig:
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < TTL_SECONDS:
            return _cached[1]
    config = _load()
    with _lock:
        _cached = (time.monotonic(), config)
    return config


def shop_config_invalidate(**_kwargs: object) -> None:
    global _cached
    with _lock:
        _cached = None


for _model in (ShopSettings, ProvinceRule, Courier, CourierProvinceRule, SchoolHoliday, NotePhrase, GiftRule):
    post_save.connect(shop_config_invalidate, sender=_model, dispatch_uid=f"shop_config_{_model.__name__}_save")
    post_delete.connect(shop_config_invalidate, sender=_model, dispatch_uid=f"shop_config_{_model.__name__}_delete")
# A rule's trigger SKUs are saved after the rule itself (the admin's save_related).
m2m_changed.connect(
    shop_config_invalidate, sender=GiftRule.trigger_variants.through, dispatch_uid="shop_config_gift_triggers"
)
