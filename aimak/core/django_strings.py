"""Django's own strings that its bundled Kyrgyz catalogue does not translate yet.

Nothing imports this module: listing the strings here (exactly as Django spells them) puts
them into our catalogues, which take precedence over Django's, so Kyrgyz pages do not show
them in English. Drop an entry once Django's ky catalogue translates it.
"""

from django.utils.translation import gettext_lazy, ngettext_lazy

DJANGO_STRINGS = (
    # django.db.models.fields.BLANK_CHOICE_LABEL: the empty choice of every select (Django 6).
    gettext_lazy("- Select an option -"),
    # django.contrib.auth.password_validation.MinimumLengthValidator (sign-up, new password).
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
)
