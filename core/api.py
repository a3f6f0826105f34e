"""What every API router shares: the bearer-key authentication of integration clients, and the
error reply. The client model is cases.ApiClient (a higher floor): cases registers its look-up
(key → the active client, or None) in CasesConfig.ready, as apps register their ticks."""
from ninja import Schema
from ninja.security import HttpBearer

_find_client = None


def register_client_lookup(find):
    global _find_client
    _find_client = find


class ApiKey(HttpBearer):
    def authenticate(self, request, token):
        client = _find_client(token) if _find_client else None
        if client:
            request.api_client = client
        return client


class ErrorReply(Schema):
    error: str
