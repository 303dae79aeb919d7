"""Form widgets that render faster than Django's defaults (one template, no include per option)."""

from django import forms


class Select(forms.Select):
    """A select for long lists (232 kibbutzim): options rendered in one loop, not one template each.

    Option groups are not supported; attributes on individual options are not rendered.
    """

    template_name = "widgets/select.html"
