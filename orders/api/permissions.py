"""Explicit permissions for every endpoint: who is a storefront, who is staff, which model perms."""

from rest_framework.permissions import BasePermission

from orders.api.authentication import StorefrontPrincipal


def storefront_of(request) -> object | None:
    user = getattr(request, "user", None)
    return user.storefront if isinstance(user, StorefrontPrincipal) else None


def is_staff_user(request) -> bool:
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and not isinstance(user, StorefrontPrincipal)
        and user.is_authenticated
        and user.is_active
        and user.is_staff
    )


class IsStorefront(BasePermission):
    message = "Only a storefront's token may do this."

    def has_permission(self, request, view) -> bool:
        return storefront_of(request) is not None


class IsStaff(BasePermission):
    message = "Only staff may do this."

    def has_permission(self, request, view) -> bool:
        return is_staff_user(request)


class IsStorefrontOrStaff(BasePermission):
    def has_permission(self, request, view) -> bool:
        return storefront_of(request) is not None or is_staff_user(request)


def staff_with(*perms: str) -> type[BasePermission]:
    """A permission class: a staff user holding every one of ``perms``."""

    class StaffWith(BasePermission):
        message = f"Requires the permission(s): {', '.join(perms)}."

        def has_permission(self, request, view) -> bool:
            return is_staff_user(request) and request.user.has_perms(perms)

    StaffWith.__name__ = f"StaffWith_{'_'.join(p.split('.')[-1] for p in perms)}"
    return StaffWith


def storefront_or_staff_with(*perms: str) -> type[BasePermission]:
    staff = staff_with(*perms)

    class StorefrontOrStaffWith(BasePermission):
        message = staff.message

        def has_permission(self, request, view) -> bool:
            return storefront_of(request) is not None or staff().has_permission(request, view)

    return StorefrontOrStaffWith
