from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from .services import api_token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; tokens are made on the profile page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user
