"""The catalogue upsert endpoint."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.api.permissions import staff_with, storefront_of
from orders.api.serializers import (
    CatalogUpsertResultSerializer,
    VariantRowSerializer,
)
from orders.exceptions import InvalidInput
from orders.services.catalog import CatalogRowError, VariantRow, catalog_upsert


class CatalogWriter(BasePermission):
    """A storefront given the right to write its catalogue, or staff who may change products and prices."""

    message = gettext_lazy("This storefront may not write a catalogue, or this account may not change prices.")
    staff = staff_with("orders.change_variant", "orders.change_variant_price", "orders.change_product")

    def has_permission(self, request, view) -> bool:
        storefront = storefront_of(request)
        if storefront is not None:
            return storefront.writes_catalogue
        return self.staff().has_permission(request, view)


class CatalogVariantsView(APIView):
    """A storefront upserts its own catalogue rows by SKU (a supervisor any row); all rows or none."""

    permission_classes = [CatalogWriter]

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
            result = catalog_upsert(
                rows=[VariantRow(**item) for item in serializer.validated_data], storefront=storefront_of(request)
            )
        except CatalogRowError as exc:
            raise InvalidInput(fields={f"{exc.row}.{exc.field}": [str(exc.message)]}) from exc
        return Response(CatalogUpsertResultSerializer(result).data)
