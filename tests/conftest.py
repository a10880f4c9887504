"""Fixtures shared by every test package: storefronts with API clients, staff by role with API and admin
clients, the catalogue."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from flags.selectors import flag_categories_invalidate
from orders.catalogue_cache import catalogue_forget
from orders.roles import AGENTS, SUPERVISORS, WAREHOUSE
from orders.services.tokens import staff_token_issue, storefront_create, token_cache_forget
from orders.shop_config import shop_config_invalidate
from tests.factories import catalogue_load


def _forget_process_caches() -> None:
    cache.clear()  # the test settings' cache is in memory: the admin's colour counts, for one
    shop_config_invalidate()
    token_cache_forget()
    flag_categories_invalidate()
    catalogue_forget()


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Shop settings, tokens, flag categories and the catalogue are cached per process; a test that
    changed them must not leak into the next (its database changes are rolled back, the caches are not)."""
    _forget_process_caches()
    yield
    _forget_process_caches()


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def storefront_and_key(db):
    return storefront_create(name="shop-a")


@pytest.fixture
def storefront(storefront_and_key):
    return storefront_and_key[0]


@pytest.fixture
def api(storefront_and_key) -> APIClient:
    """A storefront's API client."""
    return _client(storefront_and_key[1])


@pytest.fixture
def other_api(db) -> APIClient:
    """The API client of a second, unrelated storefront."""
    _storefront, key = storefront_create(name="shop-b")
    return _client(key)


@pytest.fixture
def catalogue(db) -> None:
    catalogue_load()


def make_staff(role: str | None, username: str | None = None) -> User:
    user = User.objects.create_user(
        username=username or f"{role or 'nobody'}-user", password="pw-12345678", is_staff=True
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def staff_user(db):
    """``staff_user("agents")`` -> a staff user in that group."""
    return make_staff


@pytest.fixture
def staff_api(db):
    """``staff_api("agents")`` -> an API client authenticated as a new staff user in that group."""

    def build(role: str | None) -> APIClient:
        user = make_staff(role)
        key, _expires = staff_token_issue(user=user)
        client = _client(key)
        client.user = user
        return client

    return build


@pytest.fixture
def agent_api(staff_api) -> APIClient:
    return staff_api(AGENTS)


@pytest.fixture
def warehouse_api(staff_api) -> APIClient:
    return staff_api(WAREHOUSE)


@pytest.fixture
def supervisor_api(staff_api) -> APIClient:
    return staff_api(SUPERVISORS)


# --- the admin, by role ------------------------------------------------------------------------
# The agent logs in on pytest-django's ``client``; the others each get a client of their own, so that a
# test can look at one order as two people. pytest-django's ``admin_client`` is the superuser.


def admin_login(client: Client, user: User, language: str | None = "en") -> Client:
    """``client`` logged in to the admin as ``user``, asking for ``language`` (None: the admin's default, Chinese)."""
    client.force_login(user)
    if language:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


@pytest.fixture
def admin_language() -> str | None:
    """The language the admin clients ask for: English, so that assertions read the msgids. A module that
    reads the admin in its default language (Chinese) overrides this fixture to return None."""
    return "en"


@pytest.fixture
def agent(staff_user) -> User:
    return staff_user(AGENTS, "agent-wang")


@pytest.fixture
def supervisor(staff_user) -> User:
    return staff_user(SUPERVISORS, "supervisor-li")


@pytest.fixture
def agent_client(client, agent, admin_language) -> Client:
    return admin_login(client, agent, admin_language)


@pytest.fixture
def supervisor_client(supervisor, admin_language) -> Client:
    return admin_login(Client(), supervisor, admin_language)


@pytest.fixture
def warehouse_client(staff_user, admin_language) -> Client:
    return admin_login(Client(), staff_user(WAREHOUSE, "warehouse-zhao"), admin_language)


@pytest.fixture
def nobody_client(staff_user, admin_language) -> Client:
    """Staff without a role."""
    return admin_login(Client(), staff_user(None, "staff-without-role"), admin_language)
