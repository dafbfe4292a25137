"""API tokens: listed (one's own; an admin's, everyone's) and revoked (by their owner or an admin).

A token is made by `foi tokens create` or on the account page, where it is shown once."""

from __future__ import annotations

from litestar import Controller, delete, get
from litestar.params import FromPath

from app.services import users as service
from app.services.users import Role, TokenView
from app.web.api.answers import TokenJson, errors
from app.web.auth import requires_officer
from app.web.dependencies import CurrentUser, Db, Uow


def token_json(token: TokenView) -> TokenJson:
    return {
        "id": token.id,
        "label": token.label,
        "owner": {"id": token.user_id, "name": token.owner_name},
        "created_at": token.created_at.isoformat(),
        "expires_at": token.expires_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
        "state": token.state.value,
    }


class TokensApi(Controller):
    path = "/api/v1/tokens"
    tags = ["tokens"]
    guards = [requires_officer]

    @get("/", responses=errors(401))
    async def list_tokens(self, db: Db, user: CurrentUser) -> list[TokenJson]:
        """Your tokens, newest first; an admin's list has everyone's."""
        mine = None if user.role == Role.ADMIN.value else user.id
        return [token_json(token) for token in await service.list_tokens(db, user_id=mine)]

    @delete("/{token_id:int}", status_code=200, responses=errors(400, 401, 404))
    async def revoke_token(self, uow: Uow, user: CurrentUser, token_id: FromPath[int]) -> TokenJson:
        """Revokes a token at once (your own; an admin, anyone's). Revoking one already revoked changes nothing."""
        token = await service.revoke_token(uow.session, token_id, by=user)
        return token_json(await service.token_view(uow.session, token.id))
