"""Interview imports in the API."""

from ninja import Router

router = Router(tags=["imports"])
