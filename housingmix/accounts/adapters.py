from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Self sign-up creates offerers only; staff accounts are created by administrators."""

    def save_user(self, request, user, form, commit=True):
        from .services import offerer_signup_complete

        user = super().save_user(request, user, form, commit=commit)
        if commit:
            offerer_signup_complete(user=user, data=form.cleaned_data)
        return user
