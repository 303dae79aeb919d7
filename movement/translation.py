"""Fields with an English translation beside the Hebrew source (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Body, Kibbutz, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ["name"]


@register(Kibbutz)
class KibbutzTranslation(TranslationOptions):
    fields = ["name"]


@register(Body)
class BodyTranslation(TranslationOptions):
    fields = ["name", "description"]
