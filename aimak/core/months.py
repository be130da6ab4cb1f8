"""Month names in the form a date needs after the day number.

Django looks these up with the context "alt. month" for the `E` date format. Listing
them here puts them into our own catalogues, so Kyrgyz dates read «14-марты» (possessive)
and Russian ones «14 марта» (genitive), whatever Django's bundled catalogues say.
"""

from django.utils.translation import pgettext_lazy

MONTHS_ALT = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
