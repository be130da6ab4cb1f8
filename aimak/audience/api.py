"""API of aimak.audience."""

from ninja import Router

router = Router(tags=["audience monitoring and portal indicators"])
