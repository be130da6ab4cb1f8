from ninja import Router

router = Router(tags=["action plans"])
