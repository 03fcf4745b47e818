"""Loads the demo town in one transaction with bulk inserts, and prints the demo logins.

Plans are made in memory first (boerse.demo.schedule), then written table by table; Piccolo
sets the new ids on the inserted objects, which the next tables refer to. No emails are
queued: the demo's history (confirmations, survey invitations) is already in the past."""

from __future__ import annotations

import datetime as dt
import random
import secrets

from boerse.accounts.tables import Organisation, Role, User
from boerse.dashboards.rollup import refresh_rollups
from boerse.demo import offers_assess, offers_commission, offers_deliver, offers_design
from boerse.demo.accessibility import ACCESSIBLE_LOGIN, demo_accessibility
from boerse.demo.assessments import demo_assessments
from boerse.demo.audit import audit_history
from boerse.demo.bulk import insert_batched
from boerse.demo.checkin import demo_checkin
from boerse.demo.delivery import delivery_history
from boerse.demo.engagement import demo_engagement
from boerse.demo.goals import demo_goals
from boerse.demo.guests import demo_guests
from boerse.demo.inventory import demo_inventory
from boerse.demo.legal import legal_texts
from boerse.demo.messages import demo_messages
from boerse.demo.model import Offer
from boerse.demo.officer_tools import demo_officer_tools
from boerse.demo.partners import demo_partner_keys
from boerse.demo.people import Resident, generate_residents, mail_language
from boerse.demo.questionnaires import AnsweredSurvey, DemoOpportunity, write_questionnaires
from boerse.demo.replies import demo_replies
from boerse.demo.requirements import demo_requirements
from boerse.demo.schedule import Clock, PlannedOffer, PlannedSignUp, plan_offers
from boerse.demo.series import demo_series
from boerse.demo.town import (
    ADMIN,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    ONLINE_ACCESSIBILITY,
    ORGANISATIONS,
    VENUES,
)
from boerse.demo.widget import demo_widget
from boerse.lib.db import utcnow, write_transaction
from boerse.lib.security import hash_password, new_token
from boerse.matching.index import rebuild_index
from boerse.opportunities.fulltext import reindex_all
from boerse.opportunities.next_dates import refresh_next_starts
from boerse.opportunities.tables import (
    Opportunity,
    OpportunitySession,
    OpportunitySkill,
    SignUp,
)
from boerse.profiles.tables import FieldOfAction, Profile, ProfileInterest, ProfileSkill, Skill
from boerse.profiles.taxonomy import ensure_taxonomy
from boerse.settings import get_settings
from boerse.surveys.tables import InvitationStatus, SurveyInvitation

SEED = 2026
RESIDENT_COUNT = 300

OFFICER_LOGINS = ("katrin.hoffmann@lindenau.example", "jonas.krueger@lindenau.example")
RESIDENT_LOGIN = "anna.weber@post.example"
# The officer who shows the second factor: the secret is public (README, `boerse demo`), so
# anyone can add it to an authenticator app and try the code step of the login.
TWO_FACTOR_LOGIN = "jonas.krueger@lindenau.example"
# The officer whose opportunity is the walk audit with three stops (boerse.demo.questionnaires).
WALK_AUDIT_LOGIN = "sabine.lehmann@lindenau.example"


def all_offers() -> list[Offer]:
    return [
        *offers_commission.OFFERS,
        *offers_design.OFFERS,
        *offers_deliver.OFFERS,
        *offers_assess.OFFERS,
    ]


async def load_demo(force: bool = False) -> bool:
    """Loads the demo town unless data exists; True if it loaded.

    Without `force` any organisation counts as existing data (a real installation is never
    touched); with `force` only the demo admin account does, so the demo is never loaded twice."""
    if force:
        if await User.exists().where(User.email == ADMIN.email):
            return False
    elif await Organisation.exists():
        return False
    await ensure_taxonomy()
    settings = get_settings()
    clock = Clock(
        now=utcnow().replace(microsecond=0),
        survey_delay=dt.timedelta(minutes=settings.survey_delay_minutes),
        survey_valid=dt.timedelta(days=settings.survey_valid_days),
    )
    rng = random.Random(SEED)
    residents = generate_residents(rng, RESIDENT_COUNT)
    plans = plan_offers(all_offers(), residents, rng, clock)
    password_hash = hash_password(DEMO_PASSWORD)  # once: argon2 is slow on purpose
    async with write_transaction():
        writer = _Writer(settings.town_name, password_hash, clock.now)
        await writer.load_taxonomy()
        await writer.organisations()
        await writer.residents(residents)
        await writer.opportunities(plans)
    await delivery_history(clock.now)
    await audit_history(clock.now, writer.admin_id)
    await legal_texts(settings.town_name, writer.admin_id)
    await demo_assessments(clock.now)
    await demo_inventory(settings.town_name)
    await demo_goals(settings.town_name)
    await demo_replies(clock.now)  # after the goals: one reply answers a goal
    await demo_engagement(clock.now, RESIDENT_LOGIN, OFFICER_LOGINS[0])
    await demo_messages(clock.now, OFFICER_LOGINS[0])
    await demo_requirements(clock.now)
    await demo_series(clock.now, skip_email=RESIDENT_LOGIN)
    await demo_checkin(clock.now, OFFICER_LOGINS[0])
    await demo_officer_tools(clock.now, RESIDENT_LOGIN, OFFICER_LOGINS[0])
    await demo_accessibility(clock.now)
    await demo_guests(clock.now, OFFICER_LOGINS[0], RESIDENT_LOGIN)  # after the offer features
    await demo_widget(clock.now)
    await demo_partner_keys(clock.now, writer.admin_id)
    # The worker may have built the rollups before the demo existed; its regular runs
    # rebuild only recent months, so the demo's eight months are counted here at once.
    await refresh_rollups(full=True)
    await rebuild_index()
    await reindex_all()
    return True


class _Writer:
    """Writes the planned demo, remembering the ids each later table needs."""

    def __init__(self, town: str, password_hash: str, now: dt.datetime) -> None:
        self.town = town
        self.password_hash = password_hash
        self.now = now
        self.field_ids: dict[str, int] = {}
        self.skill_ids: dict[str, int] = {}
        self.organisation_ids: dict[str, int] = {}
        self.contacts: dict[str, tuple[int, str, str, str]] = {}
        self.resident_ids: list[int] = []
        self.admin_id = 0
        self.demo_opportunities: list[DemoOpportunity] = []

    def text(self, value: str) -> str:
        return value.replace("{town}", self.town)

    async def load_taxonomy(self) -> None:
        fields = await FieldOfAction.select(FieldOfAction.id, FieldOfAction.slug)
        self.field_ids = {row["slug"]: row["id"] for row in fields}
        skills = await Skill.select(Skill.id, Skill.slug)
        self.skill_ids = {row["slug"]: row["id"] for row in skills}

    def user(self, email: str, name: str, role: Role, organisation: int | None = None) -> User:
        return User(
            email=email,
            password_hash=self.password_hash,
            display_name=name,
            role=role.value,
            organisation=organisation,
            email_verified_at=self.now - dt.timedelta(days=60),
            calendar_token=secrets.token_urlsafe(24),
            created_at=self.now - dt.timedelta(days=60),
        )

    async def organisations(self) -> None:
        """Organisations (reusing any of the same name) with their officers, and the admin."""
        names = [self.text(org.name) for org in ORGANISATIONS]
        existing = {
            row["name"]: row["id"]
            for row in await Organisation.select(Organisation.id, Organisation.name).where(
                Organisation.name.is_in(names)
            )
        }
        new = [
            Organisation(
                name=self.text(org.name),
                kind=org.kind,
                description=self.text(org.description),
                website=org.website,
            )
            for org in ORGANISATIONS
            if self.text(org.name) not in existing
        ]
        await insert_batched(Organisation, new)
        existing.update({row.name: row.id for row in new})
        self.organisation_ids = {org.key: existing[self.text(org.name)] for org in ORGANISATIONS}
        staff = [self.user(ADMIN.email, ADMIN.name, Role.ADMIN)]
        for org in ORGANISATIONS:
            for officer in org.officers:
                staff.append(
                    self.user(
                        officer.email, officer.name, Role.OFFICER, self.organisation_ids[org.key]
                    )
                )
        for user in staff:
            if user.email == TWO_FACTOR_LOGIN:
                user.totp_secret = DEMO_TOTP_SECRET
                user.totp_enabled_at = self.now - dt.timedelta(days=60)
        await insert_batched(User, staff)
        by_email = {user.email: user.id for user in staff}
        self.admin_id = by_email[ADMIN.email]
        for org in ORGANISATIONS:
            first = org.officers[0]
            self.contacts[org.key] = (by_email[first.email], first.name, first.email, first.phone)

    async def residents(self, residents: list[Resident]) -> None:
        users = [self.user(r.email, r.display_name, Role.RESIDENT) for r in residents]
        for index, (user, resident) in enumerate(zip(users, residents, strict=True)):
            user.email_verified_at = user.email_verified_at if resident.verified else None
            user.language = mail_language(index, resident)
        await insert_batched(User, users)
        self.resident_ids = [user.id for user in users]
        profiles = [
            Profile(
                user=user.id,
                postcode=r.postcode,
                locality=r.locality,
                latitude=r.latitude,
                longitude=r.longitude,
                travel_radius_km=r.travel_radius_km,
                hours_per_month=r.hours_per_month,
                time_windows=r.time_windows,
                languages=r.languages,
                birth_year=r.birth_year,
                contact_ok=r.contact_ok,
                updated_at=self.now - dt.timedelta(days=30),
            )
            for user, r in zip(users, residents, strict=True)
        ]
        await insert_batched(Profile, profiles)
        skills, interests = [], []
        for profile, resident in zip(profiles, residents, strict=True):
            skills += [
                ProfileSkill(profile=profile.id, skill=self.skill_ids[s]) for s in resident.skills
            ]
            interests += [
                ProfileInterest(profile=profile.id, field=self.field_ids[f])
                for f in resident.interests
            ]
        await insert_batched(ProfileSkill, skills)
        await insert_batched(ProfileInterest, interests)

    def opportunity(self, plan: PlannedOffer) -> Opportunity:
        offer = plan.offer
        venue = VENUES[offer.venue] if offer.venue else None
        contact_id, contact_name, contact_email, contact_phone = self.contacts[offer.org]
        last_change = plan.published_at or plan.created_at
        return Opportunity(
            organisation=self.organisation_ids[offer.org],
            created_by=contact_id,
            title=self.text(offer.title),
            summary=self.text(offer.summary),
            description=self.text(offer.description),
            mode=offer.mode.value,
            field=self.field_ids[offer.field],
            outcome_goal=self.text(offer.outcome_goal),
            is_online=venue is None,
            address=f"{self.text(venue.name)}, {venue.street}" if venue else "",
            postcode=venue.postcode if venue else "",
            locality=self.town if venue else "",
            latitude=venue.latitude if venue else None,
            longitude=venue.longitude if venue else None,
            languages=list(offer.languages),
            accessibility=offer.accessibility
            or (venue.accessibility if venue else ONLINE_ACCESSIBILITY),
            min_age=offer.min_age,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            status=offer.status.value,
            created_at=plan.created_at,
            updated_at=last_change,
            published_at=plan.published_at,
        )

    async def opportunities(self, plans: list[PlannedOffer]) -> None:
        opportunities = [self.opportunity(plan) for plan in plans]
        await insert_batched(Opportunity, opportunities)
        self.demo_opportunities = [
            DemoOpportunity(
                id=opportunity.id,
                title=plan.offer.title,
                mode=plan.offer.mode.value,
                organisation_id=opportunity.organisation,
                officer_id=opportunity.created_by,
            )
            for opportunity, plan in zip(opportunities, plans, strict=True)
        ]
        skills = [
            OpportunitySkill(
                opportunity=opportunity.id, skill=self.skill_ids[slug], required=required
            )
            for opportunity, plan in zip(opportunities, plans, strict=True)
            for slugs, required in ((plan.offer.required, True), (plan.offer.desired, False))
            for slug in slugs
        ]
        await insert_batched(OpportunitySkill, skills)
        sessions: list[tuple[OpportunitySession, list[PlannedSignUp], int]] = []
        for opportunity, plan in zip(opportunities, plans, strict=True):
            for planned in plan.sessions:
                row = OpportunitySession(
                    opportunity=opportunity.id,
                    starts_at=planned.starts_at,
                    ends_at=planned.ends_at,
                    capacity=planned.capacity,
                    seats_taken=planned.seats_taken,
                    location_note=planned.location_note,
                )
                sessions.append((row, planned.sign_ups, opportunity.id))
        await insert_batched(OpportunitySession, [row for row, _, _ in sessions])
        await refresh_next_starts()
        await self.sign_ups(sessions)

    async def sign_ups(
        self, sessions: list[tuple[OpportunitySession, list[PlannedSignUp], int]]
    ) -> None:
        rows: list[tuple[SignUp, PlannedSignUp, int]] = []
        for session, planned_sign_ups, opportunity_id in sessions:
            for planned in planned_sign_ups:
                row = SignUp(
                    session=session.id,
                    user=self.resident_ids[planned.resident],
                    status=planned.status,
                    attendance=planned.attendance,
                    hours=planned.hours,
                    created_at=planned.created_at,
                    updated_at=planned.created_at,
                    signed_up_at=planned.created_at,
                    waitlisted_at=planned.waitlisted_at,
                )
                rows.append((row, planned, opportunity_id))
        await insert_batched(SignUp, [row for row, _, _ in rows])
        await self.surveys(rows)

    async def surveys(self, rows: list[tuple[SignUp, PlannedSignUp, int]]) -> None:
        """Invitations for every recorded participation, and the questionnaires with the
        answers (boerse.demo.questionnaires); answers stay unlinked to people."""
        invitations: list[SurveyInvitation] = []
        answered: list[AnsweredSurvey] = []
        for sign_up, planned, opportunity_id in rows:
            survey = planned.survey
            if survey is None:
                continue
            invitations.append(
                SurveyInvitation(
                    sign_up=sign_up.id,
                    opportunity=opportunity_id,
                    token_hash=new_token()[1],  # the link itself was never sent, so nobody holds it
                    status=(
                        InvitationStatus.ANSWERED if survey.answered_at else InvitationStatus.SENT
                    ).value,
                    expires_at=survey.expires_at,
                    created_at=survey.created_at,
                    answered_at=survey.answered_at,
                )
            )
            if survey.ratings is not None and survey.answered_at is not None:
                answered.append(
                    AnsweredSurvey(
                        opportunity_id, survey.answered_at, survey.ratings, survey.comment
                    )
                )
        questionnaires = await write_questionnaires(
            self.demo_opportunities,
            answered,
            invited={invitation.opportunity for invitation in invitations},
            town=self.town,
            admin_id=self.admin_id,
        )
        for invitation in invitations:
            invitation.questionnaire = questionnaires[invitation.opportunity]
        await insert_batched(SurveyInvitation, invitations)


def print_logins() -> None:
    """The demo accounts, printed by `boerse demo` and `make run`."""
    settings = get_settings()
    officers = {o.email: org for org in ORGANISATIONS for o in org.officers}
    lines = [
        "",
        f"Demo-Zugänge für {settings.town_name} (Passwort für alle: {DEMO_PASSWORD}):",
        f"  Administration:  {ADMIN.email}",
    ]
    for email in OFFICER_LOGINS:
        name = officers[email].name.replace("{town}", settings.town_name)
        lines.append(f"  Sachbearbeitung: {email} ({name})")
    lines.append(f"  Begehung:        {WALK_AUDIT_LOGIN} (drei Stationen mit Antworten)")
    lines.append(
        f"  Zwei-Faktor-Anmeldung für {TWO_FACTOR_LOGIN}: Schlüssel {DEMO_TOTP_SECRET} "
        "in einer Authenticator-App eintragen (oder `oathtool --totp -b …`)."
    )
    lines.append(f"  Einwohnerin:     {RESIDENT_LOGIN} (vollständiges Profil, Anmeldungen)")
    lines.append(f"  Einwohnerin:     {ACCESSIBLE_LOGIN} (Rollstuhl: nur Angebote, die ihr passen)")
    if settings.smtp_host:
        lines.append(f"E-Mails gehen an den SMTP-Server {settings.smtp_host}:{settings.smtp_port}.")
    else:
        lines.append(f"E-Mails landen in {settings.mail_outbox_dir}/")
    if settings.dev_mode:
        lines.append(f"  und sind unter {settings.base_url}/dev/mail zu lesen.")
    print("\n".join(lines), flush=True)
