from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account has been deactivated. Ask HR."),
    }

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError:
            # Say plainly that the account is deactivated, but only to someone who knows its password.
            user = get_user_model().objects.filter(username=self.cleaned_data.get("username"), is_active=False).first()
            if user is not None and user.check_password(self.cleaned_data.get("password") or ""):
                raise ValidationError(self.error_messages["inactive"], code="inactive")
            raise


class LoginView(auth_views.LoginView):
    """Django's login view: `next` is already checked to stay on this site."""

    form_class = LoginForm
    redirect_authenticated_user = True
