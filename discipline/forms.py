from django import forms
from django.utils.translation import gettext_lazy as _


class DismissFlagForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
