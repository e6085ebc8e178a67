"""Roles and scopes from the secrets file and the identity provider's claims (dashboard.trust.access)."""
import pytest

from dashboard.trust.access import AccessError, Grant, grant_for

SECRETS = {
    "officers": {"a.officer": "scrypt$...", "b.officer": "scrypt$..."},
    "admins": ["root"],
    "access": {
        "people": {
            "a.officer": {"role": "officer", "organisations": ["FBC"], "kinds": ["actions", "indicators"]},
            "b.officer": "approver",
        },
        "claims": {"claim": "groups", "roles": {"dash-approvers": "approver", "dash-staff": "viewer"},
                   "organisations_claim": "councils"},
    },
}


def test_people_entry_gives_role_and_scope():
    grant = grant_for(SECRETS, "A.Officer")
    assert grant.role == "officer"
    assert grant.may_upload("fbc", "actions") and not grant.may_upload("OTHER", "actions")
    assert not grant.may_upload("FBC", "organisations")
    assert not grant.may_approve("someone", "FBC", "actions")


def test_approver_never_approves_own_draft():
    grant = grant_for(SECRETS, "b.officer")
    assert grant.may_approve("a.officer", "FBC", "actions")
    assert not grant.may_approve("B.OFFICER", "FBC", "actions")


def test_claims_map_to_highest_role_and_organisations():
    grant = grant_for(SECRETS, "x@example.invalid", {"groups": ["dash-staff", "dash-approvers"], "councils": "FBC"})
    assert grant == Grant("x@example.invalid", "approver", frozenset({"fbc"}))
    assert grant_for(SECRETS, "y@example.invalid", {"groups": ["other"]}).role == "viewer"


def test_older_lists_still_work():
    assert grant_for(SECRETS, "root").role == "admin"
    assert grant_for({"officers": {"c": "h"}}, "c").role == "officer"
    assert grant_for({"auth": {}}, "anyone@example.invalid").role == "officer"
    assert grant_for({"auth": {}, "officer_emails": ["o@x"]}, "v@x").role == "viewer"


def test_unknown_role_is_refused_in_words():
    with pytest.raises(AccessError, match="not one of viewer, officer, approver, admin"):
        grant_for({"access": {"people": {"z": "boss"}}}, "z")
