"""The Engagementnachweis: issuing, the PDF read back, the public check, revocation, limits."""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader

from boerse.accounts.ratelimit import SOURCE_LIMIT
from boerse.engagement.certificates import (
    ALPHABET,
    CODE_LENGTH,
    format_code,
    new_code,
    normalise_code,
)
from boerse.engagement.tables import Certificate, ReportStatus
from tests.engagement.helpers import attended, report, this_year, world
from tests.support.factories import make_opportunity, make_organisation, make_user, sign_in

ISSUE_URL = "/mein-engagement/nachweis"
CHECK_URL = "/nachweis-pruefen"


def test_codes_have_80_bits_in_typeable_groups() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert len(ALPHABET) ** CODE_LENGTH == 2**80
    code = next(iter(codes))
    shown = format_code(code)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", shown)
    assert normalise_code(shown.lower().replace("-", " ")) == code
    assert normalise_code("O1IL-0000-0000-0000") == "0111000000000000"
    assert normalise_code("ABCD-EFGH") is None
    assert normalise_code("UUUU-UUUU-UUUU-UUUU") is None  # U is not in the alphabet


async def engaged_resident():
    _organisation, _officer, opportunity, resident = await world()
    other = await make_organisation(name="Förderverein Bücherei")
    reading = await make_opportunity(other, title="Vorlesen für Kinder")
    last_year = this_year() - 1
    await attended(resident, opportunity, dt.date(last_year, 5, 4), hours=3.5)
    await attended(resident, reading, dt.date(last_year, 9, 14), hours=None)  # 3 h long
    await report(
        resident,
        reading,
        dt.date(last_year, 10, 1),
        12.0,
        dt.date(last_year, 10, 31),
        status=ReportStatus.CONFIRMED,
    )
    await report(resident, reading, dt.date(last_year, 11, 1), 40.0)  # pending: not printed
    await attended(resident, opportunity, dt.date(this_year(), 1, 1), hours=2.0)  # other year
    return resident


async def issue_last_year(client) -> dict:
    response = await client.submit(ISSUE_URL, {"period": "last_year"})
    assert response.status_code == 303, response.text[:500]
    return await Certificate.select().first()


async def test_the_pdf_lists_confirmed_engagement_of_the_period(client) -> None:
    resident = await engaged_resident()
    await sign_in(client, resident)
    page = await client.get("/mein-engagement")
    assert 'value="last_year" checked' in page.text  # default: last calendar year

    row = await issue_last_year(client)
    assert row["total_hours"] == 3.5 + 3.0 + 12.0
    assert row["period_start"] == dt.date(this_year() - 1, 1, 1)
    assert row["holder_name"] == "Jürgen Weiß"

    page = await client.get("/mein-engagement")
    code = format_code(row["code"])
    assert code in page.text
    link = f"/mein-engagement/nachweise/{row['id']}/engagementnachweis.pdf"
    assert link in page.text
    pdf = await client.get(link)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in (
        "Jürgen Weiß",
        "Engagementnachweis",
        "Förderverein Bücherei",
        "Vorlesen für Kinder",
        "Grünflächenamt",
        "18,5",
        "3,5",
        code,
        f"/nachweis-pruefen/{code}",
        "Stadt Lindenau – Ehrenamtsbüro",
    ):
        assert expected in text, expected
    assert "40" not in text.replace(str(this_year() - 1), "")  # the pending report is left out
    assert "01.01." + str(this_year()) not in text  # this year's date is outside the period

    again = await client.get(link)
    assert again.content.count(code.encode()) == pdf.content.count(code.encode())


async def test_the_verification_page_confirms_a_real_certificate(client) -> None:
    resident = await engaged_resident()
    await sign_in(client, resident)
    row = await issue_last_year(client)
    code = format_code(row["code"])

    client.cookies.clear()  # a third party, not signed in
    checked = await client.get(f"{CHECK_URL}/{code}")
    assert checked.status_code == 200
    assert "Der Nachweis ist echt." in checked.text
    for shown in (
        "Jürgen Weiß",
        "18,5",
        "Stadt Lindenau – Ehrenamtsbüro",
        f"31.12.{this_year() - 1}",
    ):
        assert shown in checked.text
    for hidden in ("Vorlesen", "Grünflächenamt", resident.email):
        assert hidden not in checked.text.split("<main")[1]

    typed = await client.submit(CHECK_URL, {"code": code.lower().replace("-", " ")})
    assert typed.status_code == 200 and "Der Nachweis ist echt." in typed.text


async def test_a_changed_or_unknown_code_is_not_confirmed(client) -> None:
    resident = await engaged_resident()
    await sign_in(client, resident)
    row = await issue_last_year(client)
    code = row["code"]
    changed = code[:-1] + ("0" if code[-1] != "0" else "1")
    client.cookies.clear()
    response = await client.submit(CHECK_URL, {"code": format_code(changed)})
    assert response.status_code == 404
    assert "Zu diesem Prüfcode gibt es keinen Nachweis." in response.text
    assert "Jürgen" not in response.text
    malformed = await client.submit(CHECK_URL, {"code": "12345"})
    assert malformed.status_code == 400 and "16 Zeichen" in malformed.text
    assert 'value="12345"' in malformed.text


async def test_a_certificate_edited_in_the_database_is_not_confirmed(client) -> None:
    resident = await engaged_resident()
    await sign_in(client, resident)
    row = await issue_last_year(client)
    await Certificate.update({Certificate.total_hours: 250.0}).where(Certificate.id == row["id"])
    response = await client.get(f"{CHECK_URL}/{format_code(row['code'])}")
    assert response.status_code == 404 and "250" not in response.text


async def test_a_revoked_certificate_is_reported_as_revoked(client) -> None:
    resident = await engaged_resident()
    await sign_in(client, resident)
    row = await issue_last_year(client)
    someone = await make_user()
    await sign_in(client, someone)
    refused = await client.submit(f"/mein-engagement/nachweise/{row['id']}/widerrufen")
    assert refused.status_code == 404
    pdf = await client.get(f"/mein-engagement/nachweise/{row['id']}/engagementnachweis.pdf")
    assert pdf.status_code == 404  # only the holder downloads it

    await sign_in(client, resident)
    revoked = await client.submit(f"/mein-engagement/nachweise/{row['id']}/widerrufen")
    assert revoked.status_code == 303
    response = await client.get(f"{CHECK_URL}/{format_code(row['code'])}")
    assert response.status_code == 200
    assert "widerrufen und nicht mehr gültig" in response.text
    assert "Jürgen" not in response.text.split("<main")[1]


async def test_the_check_is_rate_limited_per_source(client) -> None:
    for _ in range(SOURCE_LIMIT):
        response = await client.get(f"{CHECK_URL}/{format_code(new_code())}")
        assert response.status_code == 404
    limited = await client.get(f"{CHECK_URL}/{format_code(new_code())}")
    assert limited.status_code == 429
    assert "Zu viele Prüfungen" in limited.text


async def test_an_empty_period_or_a_missing_name_issues_nothing(client) -> None:
    _organisation, _officer, opportunity, resident = await world()
    await sign_in(client, resident)
    empty = await client.submit(ISSUE_URL, {"period": "last_year"})
    assert empty.status_code == 400 and "kein bestätigtes Engagement" in empty.text

    await attended(resident, opportunity, dt.date(this_year() - 1, 3, 3), hours=1.0)
    bad = await client.submit(
        ISSUE_URL, {"period": "custom", "period_start": "2025-05-01", "period_end": ""}
    )
    assert bad.status_code == 400 and 'value="2025-05-01"' in bad.text
    future = await client.submit(
        ISSUE_URL, {"period": "custom", "period_start": "2025-05-01", "period_end": "2999-01-01"}
    )
    assert future.status_code == 400 and "nicht in der Zukunft" in future.text

    nameless = await make_user(display_name="")
    await attended(nameless, opportunity, dt.date(this_year() - 1, 3, 3), hours=1.0)
    await sign_in(client, nameless)
    refused = await client.submit(ISSUE_URL, {"period": "last_year"})
    assert refused.status_code == 400 and "Ihr Name" in refused.text
    assert await Certificate.count() == 0
