"""Browser tests: the admin and the buyer's page in real Chromium, driven by Playwright.

Run them with ``make e2e`` (``scripts/e2e``); ``make test`` leaves them out (they are marked ``e2e``).
Chromium is Debian's package (``/usr/bin/chromium``, or ``E2E_CHROMIUM``); Playwright never downloads a
browser here. The server is pytest-django's ``live_server``: a real HTTP server on a free port in a thread of
the test process, on the test database, so data made in a test is what the browser sees (the test
database is transactional: every test starts from the state ``migrate`` left, shop defaults included).

Fixtures:

- ``server_url``: the live server's base URL (``http://localhost:PORT``), database access included.
- ``browser``: one headless Chromium for the session.
- ``page``: a fresh browser context and page at 1366 × 900, Chinese first (``zh-CN``); ``new_page(**context
  options)`` makes more (a phone's viewport, a second agent).
- ``login_as(role, page=None)``: a new staff user in that group (``orders.roles.AGENTS`` …) logged in through
  the admin's login form on ``page``; returns the user. ``role=None`` gives a staff user with no group.
- ``shop``: the catalogue (``tests.factories.CATALOGUE``) and a storefront; ``make_order(**overrides)`` creates
  an order through intake from ``tests.factories.order_payload(**overrides)``; ``confirm_order(order)``
  acknowledges its warnings and confirms it; ``demo_shop``: ``manage.py seed_demo`` (every demo situation).
- ``screenshot(page, name, full_page=True)``: saves ``var/e2e/screenshots/<name>.png`` (git-ignored; CI keeps the
  folder); ``full_page=False`` keeps what the window shows.
- ``tests/e2e/pages.py``: ``order_page(server_url, order)``, ``expect_result_shown(page, text)`` (the result of an
  action is on screen and has the focus).
- ``admin_order_url(order)``: the admin page of an order, relative to ``server_url``.
"""

import os
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect, sync_playwright

from orders.api.idempotency import request_hash
from orders.api.serializers import order_input
from orders.case_defaults import case_defaults_seed
from orders.defaults import shop_defaults_seed
from orders.events import Actor
from orders.models import CheckStatus, Order, Severity
from orders.roles import roles_setup
from orders.services.intake import order_create
from orders.services.tokens import storefront_create
from orders.services.workflow import order_check_acknowledge, order_confirm
from tests.conftest import make_staff
from tests.factories import catalogue_load, order_payload

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "e2e" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "pw-12345678"  # tests.conftest.make_staff's
# The machine running them is shared and slow at times: waits are generous, a real failure still fails.
expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    # Playwright's sync API keeps an event loop running in this thread; Django then refuses ORM calls from it
    # as "async". These tests are synchronous code that waits on the browser: allow them, here only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _migrate_data_restore() -> None:
    """Put back the rows ``migrate`` writes (shop defaults, flag categories, roles): the test before truncated
    every table. (Django's serialized rollback cannot do it here: Playwright's event loop gives this thread
    other database connection objects than the ones the test database was set up with.)"""
    shop_defaults_seed(django_apps)
    case_defaults_seed(django_apps)
    import_module("flags.migrations.0002_default_categories").seed(django_apps, None)
    roles_setup()


@pytest.fixture
def server_url(live_server, transactional_db) -> str:
    """The running service, on a test database as ``migrate`` left it."""
    _migrate_data_restore()
    return live_server.url


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    contexts = []

    def build(**options) -> Page:
        options = {"viewport": DESKTOP, "locale": "zh-CN", **options}
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield build
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def login_as(server_url: str, page: Page) -> Callable[..., User]:
    counter = iter(range(1, 1000))

    def login(role: str | None, on: Page | None = None) -> User:
        target = on or page
        user = make_staff(role, username=f"{role or 'staff'}-{next(counter)}")
        target.goto(f"{server_url}/admin/login/")
        target.fill("#id_username", user.username)
        target.fill("#id_password", PASSWORD)
        target.click("input[type=submit]")
        target.wait_for_url(lambda url: "/admin/login/" not in url)
        return user

    return login


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    def take(target: Page, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        target.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def shop(server_url):
    """The test catalogue and a storefront (returned)."""
    catalogue_load()
    storefront, _key = storefront_create(name="e2e-shop")
    return storefront


@pytest.fixture
def make_order(shop) -> Callable[..., Order]:
    def build(**overrides) -> Order:
        payload = order_payload(**overrides)
        order, _created = order_create(storefront=shop, data=order_input(payload), intake_hash=request_hash(payload))
        return order

    return build


@pytest.fixture
def confirm_order() -> Callable[[Order], Order]:
    def confirm(order: Order) -> Order:
        system = Actor.system()
        warnings = order.checks.filter(status=CheckStatus.OPEN, severity=Severity.WARNING)
        for code in sorted(set(warnings.values_list("code", flat=True))):
            order_check_acknowledge(order_id=order.pk, code=code, note="买家已确认", actor=system)
        return order_confirm(order_id=order.pk, actor=system)

    return confirm


@pytest.fixture
def demo_shop(server_url) -> None:
    call_command("seed_demo", password=PASSWORD, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def admin_order_url() -> Callable[[Order], str]:
    return lambda order: f"/admin/orders/order/{order.pk}/change/"
