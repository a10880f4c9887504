"""What the browser tests look for on the admin's pages."""

from playwright.sync_api import Locator, Page, expect

from orders.models import Order


def order_page(server_url: str, order: Order) -> str:
    return f"{server_url}/admin/orders/order/{order.pk}/change/"


def result_message(page: Page) -> Locator:
    """The admin message that reports how an action went."""
    return page.locator("ul.messagelist")


def expect_result_shown(page: Page, text: str) -> None:
    """The result of the last action is on screen, says ``text``, and has the keyboard focus."""
    message = result_message(page)
    expect(message).to_contain_text(text)
    expect(message).to_be_in_viewport()
    expect(message).to_be_focused()
