"""Who may see what of the engagement record: the few checks every handler goes through.

A resident reaches only their own record, reports and certificates (the pages take no person
id at all; a certificate or report of someone else is "not found", so ids reveal nothing).
Officers decide on reports for their organisation's offers, administrators on all."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.engagement import certificates, reports
from boerse.engagement.certificates import CertificateData
from boerse.engagement.reports import PendingReport
from boerse.opportunities.rules import acts_for


async def access_own_certificate(user: CurrentUser, certificate_id: int) -> CertificateData:
    row = await certificates.certificate_row(certificate_id)
    if row is None or row["user"] != user.id:
        raise NotFoundException()
    return certificates.certificate_data(row)


def pending_scope(user: CurrentUser) -> int | None:
    """The organisation whose reports the person decides on; None means all (administrators).
    An officer without an organisation decides on none."""
    if user.is_admin:
        return None
    if not user.is_officer or user.organisation_id is None:
        raise PermissionDeniedException()
    return user.organisation_id


async def access_pending_report(user: CurrentUser, report_id: int) -> PendingReport | None:
    """The pending report for an officer of its organising body; None when it has been decided
    meanwhile (someone else was quicker). 404 when it does not exist, 403 when it is another
    organisation's."""
    organisation_id = await reports.report_organisation(report_id)
    if organisation_id is None:
        raise NotFoundException()
    if not acts_for(user, organisation_id):
        raise PermissionDeniedException()
    return await reports.report_for_decision(report_id)


async def access_reportable(user: CurrentUser) -> list[reports.Reportable]:
    """The offers the person may report hours for: those they take part in."""
    return await reports.reportable_opportunities(user.id)
