"""The self-check API: ``GET /api/targets`` and ``POST /api/check`` (rules in :mod:`web.selfcheck`)."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Depends

from web.api import ERRORS, oauth2_scheme
from web.auth import PrincipalDep
from web.deps import AccountsDep, CheckLimiterDep
from web.schemas import CheckRequest, CheckResponse, TargetInfo
from web.selfcheck import self_check, targets_for

router = APIRouter(
    responses={**ERRORS, 429: {"description": "Too many self-checks; see Retry-After"}},
    tags=["self-check"],
    dependencies=[Depends(oauth2_scheme)],
)


@router.get("/api/targets", response_model=list[TargetInfo])
def api_targets(principal: PrincipalDep, accounts: AccountsDep) -> list[TargetInfo]:
    """Every checkable target ``homework.part.answer`` of your courses."""
    return targets_for(principal, accounts)


@router.post("/api/check", response_model=CheckResponse)
async def api_check(
    request: CheckRequest, principal: PrincipalDep, accounts: AccountsDep, limiter: CheckLimiterDep
) -> CheckResponse:
    """Check one answer against a target: how it was read, the verdict, and (where the course
    allows it) the reference and the evidence. Rate-limited per user."""
    return await anyio.to_thread.run_sync(
        self_check, principal, accounts, limiter, request.target, request.answer
    )
