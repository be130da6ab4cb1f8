from django.db import models


class ContentVersion(models.Model):
    """A counter bumped by every change to public content.

    Cached public pages carry the version in their key, so every web process sees a
    change at once, whatever cache backend it uses (one indexed read per request).
    """

    key = models.CharField(max_length=40, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.version}"
