"""REST endpoints. Views parse, authorise and call a service; they hold no business rules.

One module per group of order actions (mixed into ``OrderViewSet``), so each stays short.
"""

from orders.api.views.auth import StaffTokenView
from orders.api.views.catalog import CatalogVariantsView
from orders.api.views.orders import OrderViewSet

__all__ = ["CatalogVariantsView", "OrderViewSet", "StaffTokenView"]
