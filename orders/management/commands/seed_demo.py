"""``manage.py seed_demo``: the demo shop, ready to click through. Safe to run again."""

import json
import secrets

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.exceptions import ValidationError

from orders import demo, demo_gifts
from orders.api.idempotency import request_hash
from orders.api.serializers import order_input
from orders.events import Actor
from orders.models import CheckStatus, GiftRule, Order, OrderStatus, Severity, Storefront, Variant
from orders.pricing import order_shipping_quote
from orders.roles import AGENTS, SUPERVISORS, WAREHOUSE
from orders.services.catalog import catalog_upsert
from orders.services.intake import order_create
from orders.services.pricing import order_adjust_shipping
from orders.services.shipping import order_deliver, order_ship
from orders.services.tokens import storefront_create, storefront_token_issue
from orders.services.workflow import order_check_acknowledge, order_confirm
from orders.shop_config import shop_config

DEMO_STOREFRONT = "demo-shop"
CONFIRMED_EXTERNAL_ID = "DEMO-CONFIRMED"
BALANCE_DUE_EXTERNAL_ID = "DEMO-BALANCE-DUE"
GIFT_EXTERNAL_ID = "DEMO-GIFT"
DEMO_USERS = [("agent", AGENTS), ("warehouse", WAREHOUSE), ("supervisor", SUPERVISORS)]


class Command(BaseCommand):
    help = "Load the demo shop: catalogue, buyers, orders covering the seed situations, one user per role."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", help="Give every demo user this password instead of a random one.")
        parser.add_argument("--base-url", default=settings.SITE_URL, help="Where the service runs, for the hints.")

    def handle(self, *args, password: str | None, base_url: str, **options) -> None:
        result = catalog_upsert(rows=demo.CATALOGUE)
        self.stdout.write(
            f"catalogue: {len(demo.CATALOGUE)} variants "
            f"({result.variants_created} new, {result.variants_updated} updated)"
        )

        storefront = Storefront.objects.filter(name=DEMO_STOREFRONT).first()
        if storefront is None:
            storefront, key = storefront_create(name=DEMO_STOREFRONT)
        else:
            key = storefront_token_issue(storefront=storefront)

        for number, (label, customer, body) in enumerate(demo.PAST_ORDERS, start=1):
            self._past_order(storefront, f"DEMO-PAST-{number:04d}", label, customer, body)
        created = 0
        for number, (label, customer, body) in enumerate(demo.ORDERS, start=1):
            created += self._order(storefront, f"DEMO-{number:04d}", label, customer, body)
        self.stdout.write(f"orders: {len(demo.ORDERS)} demo orders ({created} new)")

        logins = self._users(password)
        self._confirmed_order(storefront)
        self._balance_due_order(storefront)
        self._gift_order(storefront)
        self._hints(base_url, key, logins)

    def _confirmed_order(self, storefront) -> None:
        """One order an agent read back and confirmed: its confirmation message goes to the buyer
        (printed on the console in the demo, where SMS has no gateway)."""
        label, customer, body = demo.CONFIRMED_DEMO_ORDER
        self._order(storefront, CONFIRMED_EXTERNAL_ID, label, customer, body)
        order = Order.objects.get(storefront=storefront, external_id=CONFIRMED_EXTERNAL_ID)
        if order.status != OrderStatus.PENDING_CONFIRMATION:
            return
        agent = Actor(user=User.objects.get(username="agent"))
        for code in sorted(
            set(order.checks.filter(status=CheckStatus.OPEN, severity=Severity.WARNING).values_list("code", flat=True))
        ):
            order_check_acknowledge(order_id=order.pk, code=code, note="已与买家电话核对", actor=agent)
        order_confirm(order_id=order.pk, actor=agent)
        self.stdout.write(f"order {CONFIRMED_EXTERNAL_ID} confirmed by agent: its confirmation message was sent")

    def _gift_order(self, storefront) -> None:
        """The shop's gift rule, and an order of 3000 that gets its 靠枕 as a free line."""
        for name, gift_sku, threshold in demo_gifts.GIFT_RULES:
            GiftRule.objects.get_or_create(
                name=name, defaults={"gift_variant": Variant.objects.get(sku=gift_sku), "threshold": threshold}
            )
        label, customer, body = demo_gifts.GIFT_DEMO_ORDER
        self._order(storefront, GIFT_EXTERNAL_ID, label, customer, body)

    def _balance_due_order(self, storefront) -> None:
        """A paid order whose agent charged the SF surcharge after payment: a balance due, asked of the buyer."""
        label, customer, body = demo.BALANCE_DUE_DEMO_ORDER
        if not self._order(storefront, BALANCE_DUE_EXTERNAL_ID, label, customer, body):
            return
        order = Order.objects.get(storefront=storefront, external_id=BALANCE_DUE_EXTERNAL_ID)
        fee = order_shipping_quote(order, config=shop_config()).fee
        agent = Actor(user=User.objects.get(username="agent"))
        order_adjust_shipping(order_id=order.pk, fee=fee, reason="顺丰到上海加收运费（补差价）", actor=agent)
        self.stdout.write(f"order {BALANCE_DUE_EXTERNAL_ID}: the SF surcharge is due from the buyer (补差价)")

    def _order(self, storefront, external_id: str, label: str, customer: str, body: dict) -> bool:
        payload = {
            "external_id": external_id,
            "payment_status": "paid",
            "customer": demo.CUSTOMERS[customer],
            "buyer_note": label,
            **body,
        }
        try:
            data = order_input(payload)
        except ValidationError as error:
            raise CommandError(f"demo order {external_id} is not valid: {error.detail}") from error
        _order, was_created = order_create(storefront=storefront, data=data, intake_hash=request_hash(payload))
        return was_created

    def _past_order(self, storefront, external_id: str, label: str, customer: str, body: dict) -> None:
        """An order that already went the whole way: confirmed, shipped, delivered (history for the checks)."""
        if not self._order(storefront, external_id, label, customer, body):
            return
        order = Order.objects.get(storefront=storefront, external_id=external_id)
        system = Actor.system()
        for check in order.checks.filter(status="open", severity="warning"):
            order_check_acknowledge(order_id=order.pk, code=check.code, note="demo", actor=system)
        order_confirm(order_id=order.pk, actor=system)
        order_ship(order_id=order.pk, courier="ZTO", tracking_number="753400000001", actor=system)
        order_deliver(order_id=order.pk, actor=system)

    @transaction.atomic
    def _users(self, password: str | None) -> list[tuple[str, str, str]]:
        logins = []
        for username, role in DEMO_USERS:
            secret = password or secrets.token_urlsafe(9)
            user, _created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
            user.is_staff = True
            user.set_password(secret)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            logins.append((username, secret, role))
        return logins

    def _hints(self, base_url: str, key: str, logins: list[tuple[str, str, str]]) -> None:
        out = self.stdout
        out.write("")
        out.write(f"Admin:     {base_url}/admin/")
        out.write(f"API docs:  {base_url}/api/v1/docs/")
        for username, secret, role in logins:
            out.write(f"Login:     {username} / {secret}   ({role})")
        out.write(f"Storefront token ({DEMO_STOREFRONT}): {key}")
        out.write("Create an order (a new external_id each time you run it):")
        out.write(
            f"  curl -s -X POST {base_url}/api/v1/orders/ -H 'Authorization: Token {key}' "
            f"-H 'Content-Type: application/json' -d '{curl_body()}'"
        )


def curl_body() -> str:
    """A realistic order body for the printed curl; the shell fills in a fresh external id."""
    body = {
        "external_id": "CURL-@NOW@",
        "payment_status": "paid",
        "customer": {"external_id": "buyer-42", "name": "李雷", "phone": "13800138000"},
        "shipping_address": demo.LILEI_HOME,
        "lines": [{"sku": "TEE-RED-M", "size": "M", "colour": "红色", "quantity": 1, "unit_price": "99.00"}],
        "shipping_fee": "10.00",
        "special_requests": {"courier": "SF", "gift_wrap": True},
    }
    return json.dumps(body, ensure_ascii=False).replace("@NOW@", "'\"$(date +%s)\"'")
