"""the department a member of staff works for (department scope)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 06:20:00

`users.department_id` (nullable): the department an officer works for. With FOI_DEPARTMENT_SCOPE on,
an officer sees and acts on that department's requests only (an officer with none sees none);
managers and admins see every request whatever it holds. Existing staff start with no department.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


# SQLite would add the foreign key, or drop the column, by copying `users` and dropping the old
# table, which fails while other tables point at its rows; its own ALTER TABLE adds and drops a
# column with its REFERENCES in place, rows and references untouched.


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE users ADD COLUMN department_id INTEGER REFERENCES departments (id)")
    else:
        op.add_column("users", sa.Column("department_id", _ID, nullable=True))
        op.create_foreign_key(op.f("fk_users_department_id_departments"), "users", "departments", ["department_id"], ["id"])
    op.create_index(op.f("ix_users_department_id"), "users", ["department_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_users_department_id"), table_name="users")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE users DROP COLUMN department_id")
    else:
        op.drop_constraint(op.f("fk_users_department_id_departments"), "users", type_="foreignkey")
        op.drop_column("users", "department_id")
