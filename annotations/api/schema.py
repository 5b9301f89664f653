"""OpenAPI: every operation also documents the error responses it can give, in the one shape the handler produces."""

from drf_spectacular import openapi
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from rest_framework.permissions import AllowAny

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Why the request was refused."}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Each key names a field (or `non_field_errors`, or `detail` for a body that is not JSON) and "
    "holds the reasons.",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}
CONFLICT = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "current_version": {"type": "integer", "description": "Read the object again at this version."},
    },
    "required": ["detail", "current_version"],
}

ERRORS = {
    "400": ("Bad input: each field named with the reasons.", FIELD_ERRORS),
    "401": ("Not signed in (send `Authorization: Token <key>` or a session cookie).", DETAIL),
    "403": ("Your role does not allow this (or the two-person rule forbids it).", DETAIL),
    "404": ("No such object (or not visible to you).", DETAIL),
    "406": ("None of the media types in Accept can be produced.", DETAIL),
    "409": ("Stale version: someone changed the object since you read it.", CONFLICT),
    "413": ("The request body is larger than the server accepts.", DETAIL),
    "415": ("The request body is not JSON.", DETAIL),
}


class AutoSchema(openapi.AutoSchema):
    def _error_codes(self) -> list[str]:
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        codes = ["400"] if writes or self.method == "GET" else []
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path or getattr(self.view, "may_be_not_found", False):
            codes.append("404")
        codes.append("406")
        if writes and getattr(self.view, "action", None) in getattr(self.view, "conflict_actions", ()):
            codes.append("409")
        if writes:
            codes += ["413", "415"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            for code in self._error_codes():
                description, schema = ERRORS[code]
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": schema}}}
                )
        return responses


class TokenScheme(KnoxTokenScheme):
    """The schema's security scheme for annotations.api.authentication.TokenAuthentication (knox's, subclassed)."""

    target_class = "annotations.api.authentication.TokenAuthentication"
    name = "tokenAuth"
