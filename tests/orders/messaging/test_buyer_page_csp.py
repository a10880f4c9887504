"""The buyer's page /c/<token>/ works under the Content-Security-Policy: the summary, and the answers."""

import pytest

from tests.orders.messaging.conftest import RICH_ORDER, confirmation_of, token_of
from tests.orders.test_content_security_policy import assert_works_under_the_policy

pytestmark = pytest.mark.django_db


def test_the_buyer_page_works_under_the_policy(client, confirmed):
    token = token_of(confirmation_of(confirmed(**RICH_ORDER)))

    assert_works_under_the_policy(client.get(f"/c/{token}/"))
    assert_works_under_the_policy(client.get(f"/c/{token}/", {"lang": "en"}))
