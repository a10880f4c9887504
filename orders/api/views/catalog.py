"""The catalogue upsert endpoint."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.api.permissions import storefront_or_staff_with
from orders.api.serializers import (
    CatalogUpsertResultSerializer,
    VariantRowSerializer,
)
from orders.exceptions import InvalidInput
from orders.services.catalog import CatalogRowError, VariantRow, catalog_upsert


class CatalogVariantsView(APIView):
    """A storefront (or a supervisor) upserts catalogue rows by SKU; all rows or none."""

    permission_classes = [
        storefront_or_staff_with("orders.change_variant", "orders.change_variant_price", "orders.change_product")
    ]

    @extend_schema(
        request=VariantRowSerializer(many=True),
        responses=CatalogUpsertResultSerializer,
        summary="Upsert catalogue variants",
    )
    def post(self, request):
        if not isinstance(request.data, list) or not request.data:
            raise InvalidInput(fields={"non_field_errors": [_("Send a non-empty JSON list of variants.")]})
        serializer = VariantRowSerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        try:
            result = catalog_upsert(rows=[VariantRow(**item) for item in serializer.validated_data])
        except CatalogRowError as exc:
            raise InvalidInput(fields={f"{exc.row}.{exc.field}": [str(exc.message)]}) from exc
        return Response(CatalogUpsertResultSerializer(result).data)
