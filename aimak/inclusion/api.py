from ninja import Router

router = Router(tags=["gender and social inclusion"])
