"""Models of aimak.mentoring."""

from django.db import models  # noqa: F401
