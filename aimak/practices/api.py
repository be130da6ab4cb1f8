from ninja import Router

router = Router(tags=["best practices and experts"])
