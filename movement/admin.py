"""Admin for the movement's core models, in Hebrew, for the secretariat staff."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import Body, Kibbutz, KibbutzContact, Region, User


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ["name", "slug", "kibbutz_count"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["coordinators"]
    prepopulated_fields = {}

    @admin.display(description=_("kibbutzim"))
    def kibbutz_count(self, obj):
        return obj.kibbutzim.count()


class KibbutzContactInline(admin.TabularInline):
    model = KibbutzContact
    extra = 0


@admin.register(Kibbutz)
class KibbutzAdmin(TranslationAdmin):
    list_display = ["name", "region", "regional_council", "kind", "is_active"]
    list_filter = ["region", "kind", "is_active"]
    search_fields = ["name", "slug", "regional_council"]
    list_select_related = ["region"]
    inlines = [KibbutzContactInline]


@admin.register(KibbutzContact)
class KibbutzContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "kibbutz", "phone", "email"]
    list_filter = ["role", "kibbutz__region"]
    search_fields = ["name", "email", "kibbutz__name"]
    autocomplete_fields = ["kibbutz"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "home_kibbutz", "is_secretariat", "is_active", "last_login"]
    list_filter = ["is_secretariat", "is_active", "preferred_language", "coordinated_regions"]
    search_fields = ["full_name", "email", "phone", "home_kibbutz__name"]
    autocomplete_fields = ["home_kibbutz"]
    readonly_fields = ["last_login", "date_joined", "is_demo"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal details"), {"fields": ["full_name", "phone", "home_kibbutz", "preferred_language"]}),
        (_("Roles"), {"fields": ["is_active", "is_secretariat", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "is_demo"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


@admin.register(Body)
class BodyAdmin(TranslationAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "description"]
    filter_horizontal = ["members"]
