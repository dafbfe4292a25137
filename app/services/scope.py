"""Department scope: which requests a member of staff may see and act on.

With FOI_DEPARTMENT_SCOPE on, an officer works on their own department's requests only: lists,
counts, searches, exports, bulk actions and imports leave the others out, and another department's
request is "not found" (404, never 403, which would say that it exists). Managers and admins see
every request; so do the tracker itself (the scheduler, the `foi` commands) and the public side,
which reads published requests only. An officer in no department sees none, and is told to ask an
admin to put them in one.

The rule is decided here, once: `Scope.of` builds it from the user and the setting. The web layer
builds one per request and leaves it on each session it opens (`limit_session`); the services read
it back with `scope_of(session)` and pass it to their query builders (`Scope.condition`), so a
controller cannot forget to pass it and a template never decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.errors import InvalidInput, NotFound
from app.models import Department, FoiRequest, User
from app.services.users import Role

_SESSION_KEY = "department_scope"
NO_DEPARTMENT_MESSAGE = (
    "You are not in a department yet, and officers see only their own department's requests: ask an admin to put you in one."
)


@dataclass(frozen=True)
class Scope:
    """Every request (`limited` False), or one department's (`department_id`; None: none at all)."""

    limited: bool = False
    department_id: int | None = None

    @classmethod
    def of(cls, user: User | None, *, department_scope: bool) -> Scope:
        """The scope of a member of staff: their department's requests when the setting is on and
        they are an officer; everything otherwise (a manager, an admin, the public, the tracker)."""
        if not department_scope or user is None:
            return EVERYTHING
        try:
            role = Role(user.role)
        except ValueError:
            return cls(limited=True, department_id=None)  # an unknown role sees nothing
        if role.allows(Role.MANAGER):
            return EVERYTHING
        return cls(limited=True, department_id=user.department_id)

    @property
    def sees_nothing(self) -> bool:
        return self.limited and self.department_id is None

    @property
    def notice(self) -> str | None:
        """What a page says to an officer who sees nothing because they are in no department."""
        return NO_DEPARTMENT_MESSAGE if self.sees_nothing else None

    def condition(self, department_column: Any = None) -> ColumnElement[bool]:
        """A WHERE condition keeping the requests in scope (`department_column`: the requests'
        department_id, by default FoiRequest's; a report's table column works too)."""
        column = FoiRequest.department_id if department_column is None else department_column
        if not self.limited:
            return true()
        if self.department_id is None:
            return false()
        return column == self.department_id

    def allows(self, department_id: int | None) -> bool:
        """Whether a request of this department (None: of no department) is in scope."""
        return not self.limited or (self.department_id is not None and department_id == self.department_id)

    def check(self, request: FoiRequest) -> None:
        """404 for a request out of scope: the same answer as for one that does not exist."""
        if not self.allows(request.department_id):
            raise NotFound(f"no request {request.reference}")

    async def department_slug(self, session: AsyncSession) -> str | None:
        if not self.limited or self.department_id is None:
            return None
        return await session.scalar(select(Department.slug).where(Department.id == self.department_id))

    async def department_for_new(self, session: AsyncSession, slug: str | None) -> str | None:
        """The department a request an officer logs (or imports) goes to: theirs when none is given;
        another is refused, since they could not see the request once logged."""
        if not self.limited:
            return slug
        own = await self.department_slug(session)
        if own is None:
            raise InvalidInput("department", "you are not in a department yet: ask an admin to put you in one before logging requests")
        wanted = (slug or "").strip()
        if wanted and wanted != own:
            raise InvalidInput("department", f"you can log requests for your own department only ({own}); ask a manager to log it")
        return own


EVERYTHING = Scope()


class OutOfScope(InvalidInput):
    """Requests chosen together (a bulk action, references added to a batch) of which some are not
    the officer's department's: refused as a whole, saying how many (404: out of scope and unknown
    are one answer, so none of them is confirmed to exist)."""

    status_code = 404


def refuse_any_outside(scope: Scope, wanted: list[str], departments: dict[str, int | None], *, field: str = "references") -> None:
    """Refuses the lot when any reference in `wanted` is not a request in scope (`departments`: the
    department of each request found, by reference)."""
    if not scope.limited:
        return
    outside = sum(1 for reference in wanted if reference not in departments or not scope.allows(departments[reference]))
    if outside:
        which = "it is" if len(wanted) == 1 else f"{outside} of the {len(wanted)} chosen are"
        reason = " (you are not in a department yet: ask an admin to put you in one)" if scope.sees_nothing else ""
        raise OutOfScope(field, f"nothing was done: {which} not among your department's requests{reason}")


def limit_session(session: AsyncSession, scope: Scope) -> AsyncSession:
    """Leaves the scope on a session, for the services that read through it."""
    session.info[_SESSION_KEY] = scope
    return session


def scope_of(session: AsyncSession) -> Scope:
    """The scope left on the session by whoever opened it; everything when none was."""
    found = session.info.get(_SESSION_KEY)
    return found if isinstance(found, Scope) else EVERYTHING


def in_scope(statement: Select, session: AsyncSession, department_column: Any = None) -> Select:
    """`statement` keeping only the requests in the session's scope (unchanged when unlimited)."""
    scope = scope_of(session)
    return statement if not scope.limited else statement.where(scope.condition(department_column))


async def request_in_scope(session: AsyncSession, reference: str) -> None:
    """For a limited scope, 404 unless the request named exists and is in scope: one answer, in the
    same words, for a request out of scope and one that does not exist, so neither is told apart."""
    scope = scope_of(session)
    if not scope.limited:
        return
    found = None
    wanted = reference.strip().upper()
    # a reference is short and printable: anything else names no request (and a NUL byte never reaches PostgreSQL)
    if scope.department_id is not None and len(wanted) <= 60 and wanted.isprintable():
        found = await session.scalar(select(FoiRequest.id).where(FoiRequest.reference == wanted, scope.condition()))
    if found is None:
        raise NotFound(f"no request {reference}")
