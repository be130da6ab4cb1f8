"""API of aimak.learning."""

from ninja import Router

router = Router(tags=["learning"])
