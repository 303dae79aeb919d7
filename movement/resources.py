"""Import and export of users and kibbutzim: the same columns both ways (see movement/importing.py)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from .importing import ChoiceWidget, LookupWidget, SafeResource, flag_field
from .importing import text_field as text
from .models import Kibbutz, Region, User

UNKNOWN_KIBBUTZ = gettext_lazy("Unknown kibbutz: %(value)s")


class UserResource(SafeResource):
    """People by email. Roles are not imported: the secretariat grants them in the admin."""

    email = text("email")
    full_name = text("full_name")
    phone = text("phone")
    home_kibbutz = fields.Field(
        attribute="home_kibbutz",
        column_name="home_kibbutz",
        widget=LookupWidget(Kibbutz, keys=("name_he", "name_en", "slug"), unknown=UNKNOWN_KIBBUTZ),
    )
    preferred_language = fields.Field(
        attribute="preferred_language", column_name="preferred_language", widget=ChoiceWidget(User.Language)
    )
    is_active = flag_field("is_active")
    required_columns = ("email", "full_name")

    class Meta:
        model = User
        fields = ("id", "email", "full_name", "phone", "home_kibbutz", "preferred_language", "is_active")

    def get_queryset(self):
        return User.objects.select_related("home_kibbutz")

    def check_row(self, instance, row):
        instance.email = instance.email.lower()
        instance.preferred_language = instance.preferred_language or User.Language.HEBREW
        if instance.pk is None:
            instance.set_unusable_password()  # a new person chooses one from the password-reset email

    def natural_key(self, instance):
        return ("email", instance.email)


class KibbutzResource(SafeResource):
    name_he = text("name_he")
    name_en = text("name_en")
    slug = text("slug")
    region = fields.Field(
        attribute="region",
        column_name="region",
        widget=LookupWidget(
            Region, keys=("name_he", "name_en", "slug"), unknown=gettext_lazy("Unknown region: %(value)s")
        ),
    )
    regional_council = text("regional_council")
    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Kibbutz.Kind))
    is_active = flag_field("is_active")
    required_columns = ("name_he", "region")

    class Meta:
        model = Kibbutz
        fields = ("id", "name_he", "name_en", "slug", "region", "regional_council", "kind", "is_active")

    def get_queryset(self):
        return Kibbutz.objects.select_related("region")

    def check_row(self, instance, row):
        instance.kind = instance.kind or ""
        if not instance.name_he:
            raise ValidationError({"name_he": _("The Hebrew name is missing.")})

    def natural_key(self, instance):
        return ("name", instance.name_he)
