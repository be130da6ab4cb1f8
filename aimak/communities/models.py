"""Models of aimak.communities."""

from django.db import models  # noqa: F401
