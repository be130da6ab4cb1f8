"""API of aimak.communities."""

from ninja import Router

router = Router(tags=["communities of practice"])
