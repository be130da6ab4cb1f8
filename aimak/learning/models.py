"""Models of aimak.learning."""

from django.db import models  # noqa: F401
