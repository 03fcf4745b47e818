"""The staff actions the audit log knows, what kind of thing each acts on, and their labels.

Other domains call `boerse.audit.services.record(Action.X, target_id, ...)`; the target
type follows from the action, so a hook cannot name the wrong kind of row."""

from __future__ import annotations

from enum import StrEnum

from boerse.lib.i18n import N_


class TargetType(StrEnum):
    OPPORTUNITY = "opportunity"
    SESSION = "session"
    SIGN_UP = "sign_up"
    ACCOUNT = "account"
    ORGANISATION = "organisation"
    EMAIL = "email"
    QUESTIONNAIRE = "questionnaire"
    ASSESSMENT = "assessment"
    GOAL = "goal"
    INVENTORY_ENTRY = "inventory_entry"
    INVENTORY_IDEA = "inventory_idea"
    TAXONOMY_ENTRY = "taxonomy_entry"
    PARTNER_KEY = "partner_key"
    NONE = ""


class Action(StrEnum):
    OPPORTUNITY_CREATED = "opportunity_created"
    OPPORTUNITY_EDITED = "opportunity_edited"
    OPPORTUNITY_PUBLISHED = "opportunity_published"
    OPPORTUNITY_CLOSED = "opportunity_closed"
    SESSION_ADDED = "session_added"
    SESSION_EDITED = "session_edited"
    SESSION_CANCELLED = "session_cancelled"
    SERIES_CREATED = "series_created"
    SERIES_CHANGED = "series_changed"
    SERIES_CANCELLED = "series_cancelled"
    PARTICIPANTS_EXPORTED = "participants_exported"
    RESULTS_EXPORTED = "results_exported"
    RESIDENT_INVITED = "resident_invited"
    ATTENDANCE_RECORDED = "attendance_recorded"
    PARTICIPANT_CONFIRMED = "participant_confirmed"
    PARTICIPANT_CANCELLED = "participant_cancelled"
    PARTICIPANT_ADDED = "participant_added"
    WALK_IN_ADDED = "walk_in_added"
    ORGANISATION_CREATED = "organisation_created"
    STAFF_INVITED = "staff_invited"
    STAFF_CREATED = "staff_created"
    ROLE_CHANGED = "role_changed"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated"
    TWO_FACTOR_RESET = "two_factor_reset"
    TWO_FACTOR_ENABLED = "two_factor_enabled"
    TWO_FACTOR_DISABLED = "two_factor_disabled"
    EMAIL_RETRIED = "email_retried"
    FAILED_EMAILS_RETRIED = "failed_emails_retried"
    UNVERIFIED_ACCOUNTS_DELETED = "unverified_accounts_deleted"
    INACTIVE_ACCOUNTS_WARNED = "inactive_accounts_warned"
    INACTIVE_ACCOUNTS_DELETED = "inactive_accounts_deleted"
    GUEST_ACCOUNTS_DELETED = "guest_accounts_deleted"
    SIGN_UPS_ANONYMISED = "sign_ups_anonymised"
    AUDIT_ENTRIES_PURGED = "audit_entries_purged"
    LEGAL_PAGE_EDITED = "legal_page_edited"
    ASSESSMENT_CREATED = "assessment_created"
    ASSESSMENT_EDITED = "assessment_edited"
    ASSESSMENT_INVITED = "assessment_invited"
    QUESTIONNAIRE_CREATED = "questionnaire_created"
    QUESTIONNAIRE_EDITED = "questionnaire_edited"
    QUESTIONNAIRE_DEFAULT_SET = "questionnaire_default_set"
    EXTERNAL_COPRODUCTION_ADDED = "external_coproduction_added"
    EXTERNAL_COPRODUCTION_EDITED = "external_coproduction_edited"
    EXTERNAL_COPRODUCTION_DELETED = "external_coproduction_deleted"
    INVENTORY_IDEA_ADDED = "inventory_idea_added"
    REPLY_SAVED = "reply_saved"
    REPLY_PUBLISHED = "reply_published"
    REPLY_STATUS_CHANGED = "reply_status_changed"
    GOAL_SAVED = "goal_saved"
    GOAL_RETIRED = "goal_retired"
    GOAL_INDICATORS_SAVED = "goal_indicators_saved"
    REQUIREMENTS_SET = "requirements_set"
    REQUIREMENT_RECORDED = "requirement_recorded"
    REQUIREMENT_REMOVED = "requirement_removed"
    REQUIREMENT_RECORDS_DELETED = "requirement_records_deleted"
    QUALIFICATION_ADDED = "qualification_added"
    ORGANISATION_EDITED = "organisation_edited"
    OPPORTUNITY_DUPLICATED = "opportunity_duplicated"
    OPPORTUNITY_REOPENED = "opportunity_reopened"
    TAXONOMY_ENTRY_ADDED = "taxonomy_entry_added"
    TAXONOMY_ENTRY_RENAMED = "taxonomy_entry_renamed"
    TAXONOMY_ENTRY_RETIRED = "taxonomy_entry_retired"
    TAXONOMY_ENTRY_RESTORED = "taxonomy_entry_restored"
    EMBEDDING_HOST_ADDED = "embedding_host_added"
    EMBEDDING_HOST_REMOVED = "embedding_host_removed"
    PARTICIPANTS_MESSAGED = "participants_messaged"
    HOURS_CONFIRMED = "hours_confirmed"
    HOURS_CORRECTED = "hours_corrected"
    HOURS_REJECTED = "hours_rejected"
    PARTNER_KEY_ISSUED = "partner_key_issued"
    PARTNER_KEY_REVOKED = "partner_key_revoked"


ACTION_TARGETS: dict[Action, TargetType] = {
    Action.OPPORTUNITY_CREATED: TargetType.OPPORTUNITY,
    Action.OPPORTUNITY_EDITED: TargetType.OPPORTUNITY,
    Action.OPPORTUNITY_PUBLISHED: TargetType.OPPORTUNITY,
    Action.OPPORTUNITY_CLOSED: TargetType.OPPORTUNITY,
    Action.SESSION_ADDED: TargetType.SESSION,
    Action.SESSION_EDITED: TargetType.SESSION,
    Action.SESSION_CANCELLED: TargetType.SESSION,
    Action.SERIES_CREATED: TargetType.OPPORTUNITY,
    Action.SERIES_CHANGED: TargetType.OPPORTUNITY,
    Action.SERIES_CANCELLED: TargetType.OPPORTUNITY,
    Action.PARTICIPANTS_EXPORTED: TargetType.SESSION,
    Action.RESULTS_EXPORTED: TargetType.OPPORTUNITY,
    Action.RESIDENT_INVITED: TargetType.OPPORTUNITY,
    Action.ATTENDANCE_RECORDED: TargetType.SESSION,
    Action.PARTICIPANT_CONFIRMED: TargetType.SIGN_UP,
    Action.PARTICIPANT_CANCELLED: TargetType.SIGN_UP,
    Action.PARTICIPANT_ADDED: TargetType.SIGN_UP,
    Action.WALK_IN_ADDED: TargetType.SIGN_UP,
    Action.ORGANISATION_CREATED: TargetType.ORGANISATION,
    Action.STAFF_INVITED: TargetType.ACCOUNT,
    Action.STAFF_CREATED: TargetType.ACCOUNT,
    Action.ROLE_CHANGED: TargetType.ACCOUNT,
    Action.ACCOUNT_DEACTIVATED: TargetType.ACCOUNT,
    Action.ACCOUNT_REACTIVATED: TargetType.ACCOUNT,
    Action.TWO_FACTOR_RESET: TargetType.ACCOUNT,
    Action.TWO_FACTOR_ENABLED: TargetType.ACCOUNT,
    Action.TWO_FACTOR_DISABLED: TargetType.ACCOUNT,
    Action.EMAIL_RETRIED: TargetType.EMAIL,
    Action.FAILED_EMAILS_RETRIED: TargetType.NONE,
    Action.UNVERIFIED_ACCOUNTS_DELETED: TargetType.NONE,
    Action.INACTIVE_ACCOUNTS_WARNED: TargetType.NONE,
    Action.INACTIVE_ACCOUNTS_DELETED: TargetType.NONE,
    Action.GUEST_ACCOUNTS_DELETED: TargetType.NONE,
    Action.SIGN_UPS_ANONYMISED: TargetType.NONE,
    Action.AUDIT_ENTRIES_PURGED: TargetType.NONE,
    Action.LEGAL_PAGE_EDITED: TargetType.NONE,
    Action.QUESTIONNAIRE_CREATED: TargetType.QUESTIONNAIRE,
    Action.QUESTIONNAIRE_EDITED: TargetType.QUESTIONNAIRE,
    Action.QUESTIONNAIRE_DEFAULT_SET: TargetType.QUESTIONNAIRE,
    Action.EXTERNAL_COPRODUCTION_ADDED: TargetType.INVENTORY_ENTRY,
    Action.EXTERNAL_COPRODUCTION_EDITED: TargetType.INVENTORY_ENTRY,
    Action.EXTERNAL_COPRODUCTION_DELETED: TargetType.INVENTORY_ENTRY,
    Action.INVENTORY_IDEA_ADDED: TargetType.INVENTORY_IDEA,
    Action.ASSESSMENT_CREATED: TargetType.ASSESSMENT,
    Action.ASSESSMENT_EDITED: TargetType.ASSESSMENT,
    Action.ASSESSMENT_INVITED: TargetType.ASSESSMENT,
    Action.REPLY_SAVED: TargetType.OPPORTUNITY,
    Action.REPLY_PUBLISHED: TargetType.OPPORTUNITY,
    Action.REPLY_STATUS_CHANGED: TargetType.OPPORTUNITY,
    Action.GOAL_SAVED: TargetType.GOAL,
    Action.GOAL_RETIRED: TargetType.GOAL,
    Action.GOAL_INDICATORS_SAVED: TargetType.QUESTIONNAIRE,
    Action.REQUIREMENTS_SET: TargetType.OPPORTUNITY,
    Action.REQUIREMENT_RECORDED: TargetType.ACCOUNT,
    Action.REQUIREMENT_REMOVED: TargetType.ACCOUNT,
    Action.REQUIREMENT_RECORDS_DELETED: TargetType.NONE,
    Action.QUALIFICATION_ADDED: TargetType.NONE,
    Action.PARTICIPANTS_MESSAGED: TargetType.OPPORTUNITY,
    Action.HOURS_CONFIRMED: TargetType.OPPORTUNITY,
    Action.HOURS_CORRECTED: TargetType.OPPORTUNITY,
    Action.HOURS_REJECTED: TargetType.OPPORTUNITY,
    Action.ORGANISATION_EDITED: TargetType.ORGANISATION,
    Action.OPPORTUNITY_DUPLICATED: TargetType.OPPORTUNITY,
    Action.OPPORTUNITY_REOPENED: TargetType.OPPORTUNITY,
    Action.TAXONOMY_ENTRY_ADDED: TargetType.TAXONOMY_ENTRY,
    Action.TAXONOMY_ENTRY_RENAMED: TargetType.TAXONOMY_ENTRY,
    Action.TAXONOMY_ENTRY_RETIRED: TargetType.TAXONOMY_ENTRY,
    Action.TAXONOMY_ENTRY_RESTORED: TargetType.TAXONOMY_ENTRY,
    Action.EMBEDDING_HOST_ADDED: TargetType.NONE,
    Action.EMBEDDING_HOST_REMOVED: TargetType.NONE,
    Action.PARTNER_KEY_ISSUED: TargetType.PARTNER_KEY,
    Action.PARTNER_KEY_REVOKED: TargetType.PARTNER_KEY,
}

ACTION_LABELS: dict[str, str] = {
    Action.OPPORTUNITY_CREATED: N_("Angebot angelegt"),
    Action.OPPORTUNITY_EDITED: N_("Angebot bearbeitet"),
    Action.OPPORTUNITY_PUBLISHED: N_("Angebot veröffentlicht"),
    Action.OPPORTUNITY_CLOSED: N_("Angebot beendet"),
    Action.SESSION_ADDED: N_("Termin angelegt"),
    Action.SESSION_EDITED: N_("Termin bearbeitet"),
    Action.SESSION_CANCELLED: N_("Termin abgesagt"),
    Action.SERIES_CREATED: N_("Terminserie angelegt"),
    Action.SERIES_CHANGED: N_("Termine einer Serie geändert"),
    Action.SERIES_CANCELLED: N_("Termine einer Serie abgesagt"),
    Action.PARTICIPANTS_EXPORTED: N_("Teilnehmendenliste exportiert (CSV)"),
    Action.RESULTS_EXPORTED: N_("Ergebnisse exportiert (CSV)"),
    Action.RESIDENT_INVITED: N_("Person eingeladen"),
    Action.ATTENDANCE_RECORDED: N_("Anwesenheit erfasst"),
    Action.PARTICIPANT_CONFIRMED: N_("Anmeldung bestätigt"),
    Action.PARTICIPANT_CANCELLED: N_("Anmeldung abgesagt"),
    Action.PARTICIPANT_ADDED: N_("Person von Hand angemeldet"),
    Action.WALK_IN_ADDED: N_("Person ohne Anmeldung vor Ort eingetragen"),
    Action.ORGANISATION_CREATED: N_("Organisation angelegt"),
    Action.STAFF_INVITED: N_("Mitarbeitende eingeladen"),
    Action.STAFF_CREATED: N_("Konto für Mitarbeitende angelegt"),
    Action.ROLE_CHANGED: N_("Rolle geändert"),
    Action.ACCOUNT_DEACTIVATED: N_("Konto gesperrt"),
    Action.ACCOUNT_REACTIVATED: N_("Konto freigeschaltet"),
    Action.TWO_FACTOR_RESET: N_("Zweiten Faktor zurückgesetzt"),
    Action.TWO_FACTOR_ENABLED: N_("Zweiten Faktor eingerichtet"),
    Action.TWO_FACTOR_DISABLED: N_("Zweiten Faktor ausgeschaltet"),
    Action.EMAIL_RETRIED: N_("E-Mail erneut versendet"),
    Action.FAILED_EMAILS_RETRIED: N_("Nicht zugestellte E-Mails erneut versendet"),
    Action.UNVERIFIED_ACCOUNTS_DELETED: N_("Unbestätigte Konten gelöscht"),
    Action.INACTIVE_ACCOUNTS_WARNED: N_("Inaktive Konten benachrichtigt"),
    Action.INACTIVE_ACCOUNTS_DELETED: N_("Inaktive Konten gelöscht"),
    Action.GUEST_ACCOUNTS_DELETED: N_("Gastkonten nach ihrem letzten Termin gelöscht"),
    Action.SIGN_UPS_ANONYMISED: N_("Alte Anmeldungen anonymisiert"),
    Action.AUDIT_ENTRIES_PURGED: N_("Alte Protokolleinträge gelöscht"),
    Action.LEGAL_PAGE_EDITED: N_("Rechtstext bearbeitet"),
    Action.QUESTIONNAIRE_CREATED: N_("Fragebogen angelegt"),
    Action.QUESTIONNAIRE_EDITED: N_("Fragebogen bearbeitet"),
    Action.QUESTIONNAIRE_DEFAULT_SET: N_("Standard-Fragebogen für eine Mitmach-Art festgelegt"),
    Action.EXTERNAL_COPRODUCTION_ADDED: N_("Koproduktion außerhalb der Börse eingetragen"),
    Action.EXTERNAL_COPRODUCTION_EDITED: N_("Koproduktion außerhalb der Börse bearbeitet"),
    Action.EXTERNAL_COPRODUCTION_DELETED: N_("Koproduktion außerhalb der Börse gelöscht"),
    Action.INVENTORY_IDEA_ADDED: N_("Idee in der Bestandsaufnahme notiert"),
    Action.ASSESSMENT_CREATED: N_("Bewertung angelegt"),
    Action.ASSESSMENT_EDITED: N_("Bewertung bearbeitet"),
    Action.ASSESSMENT_INVITED: N_("Einladungen zur Bewertung verschickt"),
    Action.REPLY_SAVED: N_("Rückmeldung an die Teilnehmenden gespeichert"),
    Action.REPLY_PUBLISHED: N_("Rückmeldung an die Teilnehmenden veröffentlicht"),
    Action.REPLY_STATUS_CHANGED: N_("Stand einer Rückmeldung geändert"),
    Action.GOAL_SAVED: N_("Wirkungsziel gespeichert"),
    Action.GOAL_RETIRED: N_("Wirkungsziel stillgelegt"),
    Action.GOAL_INDICATORS_SAVED: N_("Indikatoren eines Fragebogens festgelegt"),
    Action.REQUIREMENTS_SET: N_("Voraussetzungen eines Angebots festgelegt"),
    Action.REQUIREMENT_RECORDED: N_("Nachweis erfasst"),
    Action.REQUIREMENT_REMOVED: N_("Nachweis entfernt"),
    Action.REQUIREMENT_RECORDS_DELETED: N_("Abgelaufene Nachweise gelöscht"),
    Action.QUALIFICATION_ADDED: N_("Qualifikation hinzugefügt"),
    Action.PARTICIPANTS_MESSAGED: N_("Nachricht an Teilnehmende verschickt"),
    Action.HOURS_CONFIRMED: N_("Gemeldete Stunden bestätigt"),
    Action.HOURS_CORRECTED: N_("Gemeldete Stunden korrigiert"),
    Action.HOURS_REJECTED: N_("Gemeldete Stunden abgelehnt"),
    Action.ORGANISATION_EDITED: N_("Organisation bearbeitet"),
    Action.OPPORTUNITY_DUPLICATED: N_("Angebot kopiert"),
    Action.OPPORTUNITY_REOPENED: N_("Angebot wieder geöffnet"),
    Action.TAXONOMY_ENTRY_ADDED: N_("Eintrag einer Auswahlliste angelegt"),
    Action.TAXONOMY_ENTRY_RENAMED: N_("Eintrag einer Auswahlliste umbenannt"),
    Action.TAXONOMY_ENTRY_RETIRED: N_("Eintrag einer Auswahlliste stillgelegt"),
    Action.TAXONOMY_ENTRY_RESTORED: N_("Eintrag einer Auswahlliste wieder aufgenommen"),
    Action.EMBEDDING_HOST_ADDED: N_("Website zum Einbetten erlaubt"),
    Action.EMBEDDING_HOST_REMOVED: N_("Website zum Einbetten entfernt"),
    Action.PARTNER_KEY_ISSUED: N_("API-Schlüssel für einen Partner ausgegeben"),
    Action.PARTNER_KEY_REVOKED: N_("API-Schlüssel eines Partners widerrufen"),
}

TARGET_LABELS: dict[str, str] = {
    TargetType.OPPORTUNITY: N_("Angebot"),
    TargetType.SESSION: N_("Termin"),
    TargetType.SIGN_UP: N_("Anmeldung"),
    TargetType.ACCOUNT: N_("Konto"),
    TargetType.ORGANISATION: N_("Organisation"),
    TargetType.EMAIL: N_("E-Mail"),
    TargetType.QUESTIONNAIRE: N_("Fragebogen"),
    TargetType.ASSESSMENT: N_("Bewertung"),
    TargetType.GOAL: N_("Wirkungsziel"),
    TargetType.INVENTORY_ENTRY: N_("Eintrag der Bestandsaufnahme"),
    TargetType.INVENTORY_IDEA: N_("Idee der Bestandsaufnahme"),
    TargetType.TAXONOMY_ENTRY: N_("Eintrag einer Auswahlliste"),
    TargetType.PARTNER_KEY: N_("API-Schlüssel"),
}

# The same msgids as the account administration's role labels, so they share translations.
ROLE_LABELS: dict[str, str] = {
    "resident": N_("Bürgerin/Bürger"),
    "officer": N_("Mitarbeitende"),
    "admin": N_("Administration"),
    "partner": N_("Partner über die API"),
}
