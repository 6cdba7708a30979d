"""What the gateway's mixins (`gateway_admin`, `gateway_login`, `gateway_phone`,
`gateway_photos`) use of `Gateway` itself, declared once for the type checker: the settings,
the login policy, the object store and the two ways to run a service operation. `Gateway`
defines them; at run time this class adds nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from privet_tui.config import Settings
    from privet_tui.services.accounts import LoginPolicy
    from privet_tui.storage.base import ObjectStore

__all__ = ["GatewayPlumbing"]

P = ParamSpec("P")
T = TypeVar("T")


class GatewayPlumbing:
    """The base of the gateway's mixins: `Gateway`'s attributes and transaction runners."""

    if TYPE_CHECKING:
        settings: Settings
        policy: LoginPolicy

        @property
        def store(self) -> ObjectStore: ...

        def call(
            self,
            operation: Callable[Concatenate[Session, P], T],
            /,
            *args: P.args,
            **kwargs: P.kwargs,
        ) -> T:
            """Run `operation(session, …)` in one transaction of its own and commit."""
            ...

        def read(
            self,
            operation: Callable[Concatenate[Session, P], T],
            /,
            *args: P.args,
            **kwargs: P.kwargs,
        ) -> T:
            """Run a read-only `operation(session, …)`; nothing it does is committed."""
            ...
