from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from movement.import_admin import SafeImportExportMixin

from .models import Department, Unit
from .resources import DepartmentResource, UnitResource


class UnitInline(TranslationTabularInline):
    model = Unit
    extra = 0
    fields = ["name", "slug", "kind", "order"]
    prepopulated_fields = {}


@admin.register(Department)
class DepartmentAdmin(SafeImportExportMixin, TabbedTranslationAdmin):
    resource_classes = [DepartmentResource]
    list_display = ["name", "kind", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug", "description"]
    filter_horizontal = ["heads", "staff"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(SafeImportExportMixin, TabbedTranslationAdmin):
    resource_classes = [UnitResource]
    list_display = ["name", "department", "kind", "order"]
    list_filter = ["department", "kind"]
    search_fields = ["name", "slug", "department__name"]
    filter_horizontal = ["heads", "staff"]
