"""Protocol content with an English translation beside the Hebrew source."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Decision, Meeting, Statement


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ["title"]


@register(Decision)
class DecisionTranslation(TranslationOptions):
    fields = ["text"]


# History after translation (see PITFALLS): protocols and decisions keep who changed what.
simple_history.register(Meeting, app=__package__)
simple_history.register(Statement, app=__package__)
simple_history.register(Decision, app=__package__)
