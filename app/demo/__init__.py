"""Demo data: a fictional borough council's FOI caseload, built in pure Python.

`build_demo_authority(today)` returns departments, staff logins and about 300 requests, each with
a dated history of lifecycle actions that has been replayed through the domain's state machine.
Nothing here touches a database; a loader turns the plan into rows.
"""

from app.demo.plan import (
    DEMO_DEPARTMENTS,
    DEMO_USERS,
    DemoAction,
    DemoAuthority,
    DemoDepartment,
    DemoRequest,
    DemoUser,
    build_demo_authority,
    demo_logins,
    final_status,
)

__all__ = [
    "DEMO_DEPARTMENTS",
    "DEMO_USERS",
    "DemoAction",
    "DemoAuthority",
    "DemoDepartment",
    "DemoRequest",
    "DemoUser",
    "build_demo_authority",
    "demo_logins",
    "final_status",
]
