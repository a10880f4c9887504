"""``manage.py create_storefront NAME``: a storefront and its API token, the token alone on the last line."""

from django.core.management.base import BaseCommand, CommandError

from orders.models import Storefront
from orders.services.tokens import storefront_create, storefront_token_issue


class Command(BaseCommand):
    help = "Create a storefront (sales channel) and print its API token, alone on the last line."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="A unique name, e.g. taobao-main")
        parser.add_argument("--new-token", action="store_true", help="The storefront exists: issue it another token.")
        parser.add_argument(
            "--catalogue",
            action="store_true",
            help="It may upsert its own catalogue over the API (POST /api/v1/catalog/variants/).",
        )

    def handle(self, *args, name: str, new_token: bool, catalogue: bool, **options) -> None:
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("the name must have 1 to 100 characters")
        existing = Storefront.objects.filter(name=name).first()
        if existing is not None:
            if not new_token:
                raise CommandError(f"storefront “{name}” exists; add --new-token to issue it another token")
            key = storefront_token_issue(storefront=existing)
            self.stdout.write(
                f"New token for storefront “{name}” (id {existing.pk}). Keep it secret; it is shown once."
            )
        else:
            if new_token:
                raise CommandError(f"storefront “{name}” does not exist")
            storefront, key = storefront_create(name=name, writes_catalogue=catalogue)
            self.stdout.write(
                f"Created storefront “{name}” (id {storefront.pk}). Keep the token secret; it is shown once."
            )
        self.stdout.write(key)
