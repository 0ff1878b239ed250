"""Who is asking: a Gong user with a role, and the rep user ids that role may see."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


class Principal(BaseModel):
    """A Gong user acting through the app; `visible` is None for an admin (everyone), else the user ids."""

    user_id: str
    email: str
    name: str | None = None
    role: Role
    auth_method: str
    visible: list[str] | None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def can_see(self, rep_user_id: str | None) -> bool:
        return self.visible is None or rep_user_id in self.visible
