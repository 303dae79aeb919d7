"""Plan content with an English translation beside the Hebrew source."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import AnnualPlan, Goal, PlanSection, ProgressUpdate


@register(AnnualPlan)
class AnnualPlanTranslation(TranslationOptions):
    fields = ["title", "intro"]


@register(PlanSection)
class PlanSectionTranslation(TranslationOptions):
    fields = ["title", "description"]


@register(Goal)
class GoalTranslation(TranslationOptions):
    fields = ["text"]


# History after translation (django-simple-history on a translated model: see PITFALLS).
simple_history.register(Goal, app=__package__)
simple_history.register(ProgressUpdate, app=__package__)
