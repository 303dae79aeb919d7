from django.contrib import admin

from movement.import_admin import SafeImportExportMixin

from .models import FollowUp, NotesRead, PersonMet, Topic, Visit
from .resources import VisitResource


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


class PersonMetInline(admin.TabularInline):
    model = PersonMet
    extra = 0


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    autocomplete_fields = ["owner"]


@admin.register(Visit)
class VisitAdmin(SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [VisitResource]
    list_display = ["__str__", "coordinator", "date", "kind", "question_answered"]
    list_filter = ["kind", "question_answered", "kibbutzim__region"]
    search_fields = ["summary", "question", "coordinator__full_name", "kibbutzim__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["coordinator", "kibbutzim"]
    filter_horizontal = ["topics"]
    inlines = [PersonMetInline, FollowUpInline]
    list_select_related = ["coordinator"]


@admin.register(NotesRead)
class NotesReadAdmin(admin.ModelAdmin):
    """The record of who read which visit's notes: read-only."""

    list_display = ["visit", "user", "at"]
    list_filter = ["at"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["visit", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
