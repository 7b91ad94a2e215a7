"""The portal's authentication backend: allauth's (e-mail and password), with one change in how a
logged-in request loads its account.

A session verified with a second factor names two rows: the account (Django's session key) and
the device that verified it (django-otp's). Django loads the first through the backend's
``get_user`` and django-otp the second with a query of its own, on every request of a staff
member. Here the device is read with its account in one query when the session names one
(``two_factor.OTPMiddleware`` says which, for the length of that load): the device must belong to
the account the session names, and the account goes through the backend's own checks (active);
Django's own checks of the session (the password's hash, the backend's path) run as always,
since only the row's loading changes. When the device is gone, is another account's or the
session names none, the account is read alone and django-otp reads the device as before.
"""

import contextvars

from allauth.account.auth_backends import AuthenticationBackend as AllauthAuthenticationBackend

# (device model, device pk, list the device read is appended to), set by OTPMiddleware while it
# loads the request's user; None otherwise.
session_device = contextvars.ContextVar("housingmix_session_device", default=None)


class AuthenticationBackend(AllauthAuthenticationBackend):
    def get_user(self, user_id):
        wanted = session_device.get()
        if wanted is not None:
            model, device_pk, found = wanted
            device = model.objects.select_related("user").filter(pk=device_pk, user_id=user_id).first()
            if device is not None:
                found.append(device)
                user = device.user
                return user if self.user_can_authenticate(user) else None
        return super().get_user(user_id)
