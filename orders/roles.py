"""The staff roles (Django groups) and their permissions, as data.

``roles_setup`` makes the groups match this table exactly; it runs after every ``migrate`` (connected in
``OrdersConfig.ready``) and from ``manage.py setup_roles``.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

AGENTS = "agents"
WAREHOUSE = "warehouse"
SUPERVISORS = "supervisors"

_READ_CATALOGUE = ["orders.view_product", "orders.view_variant", "orders.view_returnpolicy"]
_READ_ORDERS = [
    "orders.view_order",
    "orders.view_orderline",
    "orders.view_orderevent",
    "orders.view_checkresult",
    "orders.view_message",
    "orders.view_failedmessage",
    "orders.view_paymentrecord",
]
_FLAGS = ["flags.view_flag", "flags.add_flag", "flags.change_flag", "flags.view_flagcategory"]
_READ_SETTINGS = [
    "orders.view_shopsettings",
    "orders.view_courier",
    "orders.view_courierprovincerule",
    "orders.view_provincerule",
    "orders.view_schoolholiday",
    "orders.view_notephrase",
    "orders.view_caserule",
    "orders.view_caseduetime",
    "orders.view_casereplytemplate",
    "orders.view_giftrule",
]
# After-sale cases: agents open, assign, note and resolve them; the warehouse only reads the queue.
_CASES = ["orders.view_case", "orders.add_case", "orders.change_case"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    AGENTS: [
        *_READ_ORDERS,
        *_FLAGS,
        "orders.change_order",
        "orders.confirm_order",
        "orders.edit_order_address",
        "orders.edit_order_price",
        "orders.edit_order_shipping",
        "orders.merge_orders",
        "orders.record_payment",
        "orders.view_full_phone",
        "orders.view_customer",
        "orders.change_customer",
        *_READ_CATALOGUE,
        *_READ_SETTINGS,
        *_CASES,
    ],
    WAREHOUSE: [
        *_READ_ORDERS,
        *_FLAGS,
        "orders.ship_order",
        *_READ_CATALOGUE,
        "orders.change_variant",  # stock; never the price (change_variant_price)
        "orders.view_case",
    ],
}
ROLE_PERMISSIONS[SUPERVISORS] = [
    *ROLE_PERMISSIONS[AGENTS],
    "orders.ship_order",
    "orders.override_courier",
    "flags.change_flagcategory",
    "orders.unlimited_discount",
    "orders.record_refund",
    "orders.add_product",
    "orders.change_product",
    "orders.add_variant",
    "orders.change_variant",
    "orders.change_variant_price",
    "orders.add_returnpolicy",
    "orders.change_returnpolicy",
    "orders.view_storefront",
    "orders.change_shopsettings",
    "orders.add_courier",
    "orders.change_courier",
    "orders.add_courierprovincerule",
    "orders.change_courierprovincerule",
    "orders.delete_courierprovincerule",
    "orders.add_provincerule",
    "orders.change_provincerule",
    "orders.add_schoolholiday",
    "orders.change_schoolholiday",
    "orders.delete_schoolholiday",
    "orders.add_notephrase",
    "orders.change_notephrase",
    "orders.delete_notephrase",
    "orders.add_caserule",
    "orders.change_caserule",
    "orders.add_caseduetime",
    "orders.change_caseduetime",
    "orders.delete_caseduetime",
    "orders.add_casereplytemplate",
    "orders.change_casereplytemplate",
    "orders.delete_casereplytemplate",
    "orders.add_giftrule",
    "orders.change_giftrule",
    "orders.delete_giftrule",
]


def _permissions(names: list[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = list(
        Permission.objects.select_related("content_type").filter(codename__in={codename for _app, codename in wanted})
    )
    by_name = {(p.content_type.app_label, p.codename): p for p in found}
    missing = sorted(f"{app}.{codename}" for app, codename in wanted if (app, codename) not in by_name)
    if missing:
        raise LookupError(f"unknown permissions: {', '.join(missing)}")
    return [by_name[key] for key in wanted]


def roles_setup() -> dict[str, int]:
    """Create the role groups and give each exactly its permissions. Returns permission counts."""
    counts = {}
    with transaction.atomic():
        for role, names in ROLE_PERMISSIONS.items():
            group, _created = Group.objects.get_or_create(name=role)
            permissions = _permissions(names)
            group.permissions.set(permissions)
            counts[role] = len(permissions)
    return counts


def roles_setup_after_migrate(**_kwargs: object) -> None:
    """``post_migrate`` receiver (connected by ``OrdersConfig.ready``)."""
    roles_setup()
