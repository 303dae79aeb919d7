from modeltranslation.translator import TranslationOptions, register

from .models import Department, Unit


@register(Department)
class DepartmentTranslation(TranslationOptions):
    fields = ["name", "description"]


@register(Unit)
class UnitTranslation(TranslationOptions):
    fields = ["name", "description"]
