"""Models of aimak.questions."""

from django.db import models  # noqa: F401
