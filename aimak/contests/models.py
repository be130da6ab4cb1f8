"""Models of aimak.contests."""

from django.db import models  # noqa: F401
