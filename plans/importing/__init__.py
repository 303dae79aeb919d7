"""Reading a plan document (.docx, .md, .txt) into a tree of sections and goals.

The secretariat writes plans in Word or plain text; this turns such a document into a preview the
secretariat can check and map to departments before it is committed (see `plans.services`).
"""

from .documents import PlanDocumentError, parse_document, parse_text
from .targets import Target, suggest_target
from .tree import ParsedGoal, ParsedPlan, ParsedSection

__all__ = [
    "ParsedGoal",
    "ParsedPlan",
    "ParsedSection",
    "PlanDocumentError",
    "Target",
    "parse_document",
    "parse_text",
    "suggest_target",
]
