"""API of aimak.questions."""

from ninja import Router

router = Router(tags=["questions and consultations"])
