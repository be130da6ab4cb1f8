"""Models of aimak.audience."""

from django.db import models  # noqa: F401
