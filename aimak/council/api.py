from ninja import Router

router = Router(tags=["council resolutions"])
