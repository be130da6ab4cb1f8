"""API of aimak.contests."""

from ninja import Router

router = Router(tags=["contests"])
