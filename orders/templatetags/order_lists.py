"""``{% order_result_list cl %}``: Django admin's ``result_list`` tag with the rows of ``orders.admin.rows``."""

from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template import Library

from orders.admin import rows

register = Library()


@register.tag(name="order_result_list")
def order_result_list_tag(parser, token) -> InclusionAdminNode:
    return InclusionAdminNode(
        parser,
        token,
        func=rows.result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
