"""API of aimak.mentoring."""

from ninja import Router

router = Router(tags=["mentoring"])
