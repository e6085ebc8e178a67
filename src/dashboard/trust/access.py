"""Who may do what: a person's role (viewer, officer, approver, admin) and scope (organisations, upload kinds), read
from the secrets file's `[access]` table or mapped from the identity provider's claims."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Ordered: each role has every right of the roles before it.
ROLES = ("viewer", "officer", "approver", "admin")
ROLE_WORDS = {
    "viewer": "may view the dashboard",
    "officer": "may also upload for the organisations and kinds given",
    "approver": "may also approve or reject other officers' drafts",
    "admin": "may also read the audit trail and change settings",
}


class AccessError(ValueError):
    """An `[access]` table the dashboard does not understand; the message names the entry and the fix."""


@dataclass(frozen=True)
class Grant:
    """What one signed-in person may do: a role and, for uploads and approvals, the organisations and kinds."""

    name: str
    role: str
    organisations: frozenset[str] | None = None  # None: every organisation
    kinds: frozenset[str] | None = None          # None: every upload kind

    def at_least(self, role: str) -> bool:
        """True when this grant's role has every right of `role`."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def covers(self, organisation_id: str | None = None, kind: str | None = None) -> bool:
        """True when the organisation and kind (None: not asked) are within this grant's scope."""
        in_orgs = (self.organisations is None or organisation_id is None
                   or organisation_id.lower() in self.organisations)
        return in_orgs and (self.kinds is None or kind is None or kind in self.kinds)

    def may_upload(self, organisation_id: str | None = None, kind: str | None = None) -> bool:
        """True when this person may upload `kind` for `organisation_id`."""
        return self.at_least("officer") and self.covers(organisation_id, kind)

    def may_approve(self, uploader: str, organisation_id: str | None = None, kind: str | None = None) -> bool:
        """True when this person may approve a draft by `uploader`: an approver in scope, never the uploader."""
        return (self.at_least("approver") and self.covers(organisation_id, kind)
                and uploader.lower() != self.name.lower())


def _scope(entry: Mapping, key: str, where: str) -> frozenset[str] | None:
    values = entry.get(key)
    if values is None or values == "*" or (isinstance(values, list) and "*" in values):
        return None
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise AccessError(f"{where}: `{key}` must be a list of names, for example {key} = [\"FBC\"], or \"*\".")
    return frozenset(v.strip().lower() if key == "organisations" else v.strip() for v in values)


def _role(value: object, where: str) -> str:
    role = str(value or "").strip().lower()
    if role not in ROLES:
        raise AccessError(f"{where}: role {value!r} is not one of {', '.join(ROLES)}.")
    return role


def _best(roles: Iterable[str]) -> str | None:
    found = [role for role in roles if role in ROLES]
    return max(found, key=ROLES.index) if found else None


def from_claims(claims: Mapping, access: Mapping) -> tuple[str | None, frozenset[str] | None]:
    """The role (the highest any claim value maps to) and organisations the identity provider's claims give, by
    `[access.claims]`: `claim` (default "groups") names the claim, `roles` maps its values to roles, and
    `organisations_claim` (optional) names a claim listing the organisations the person works for."""
    rules = access.get("claims") or {}
    values = claims.get(rules.get("claim", "groups"))
    values = [values] if isinstance(values, str) else list(values or [])
    mapping = {str(k): _role(v, f"[access.claims] roles.{k}") for k, v in (rules.get("roles") or {}).items()}
    role = _best(mapping[str(value)] for value in values if str(value) in mapping)
    org_claim = rules.get("organisations_claim")
    orgs = claims.get(org_claim) if org_claim else None
    organisations = None if orgs is None else frozenset(
        o.strip().lower() for o in ([orgs] if isinstance(orgs, str) else orgs) if str(o).strip())
    return role, organisations


def grant_for(secrets: Mapping, name: str, claims: Mapping | None = None) -> Grant:
    """The grant of the signed-in `name` (a local username, or the identity provider's email), in this order:
    its `[access.people]` entry; the identity provider's claims by `[access.claims]`; then the older lists
    (`admins` -> admin, a local `[officers]` account or `officer_emails` -> officer); else viewer."""
    access = secrets.get("access") or {}
    people = {str(k).lower(): v for k, v in (access.get("people") or {}).items()}
    entry = people.get(name.lower())
    if entry is not None:
        where = f"[access.people] \"{name}\""
        if isinstance(entry, str):
            return Grant(name, _role(entry, where))
        return Grant(name, _role(entry.get("role"), where), _scope(entry, "organisations", where),
                     _scope(entry, "kinds", where))
    if claims:
        role, organisations = from_claims(claims, access)
        if role is not None:
            return Grant(name, role, organisations)
    admins = {str(a).lower() for a in secrets.get("admins") or []}
    if name.lower() in admins:
        return Grant(name, "admin")
    officers = {str(o).lower() for o in (secrets.get("officers") or {})}
    emails = {str(e).lower() for e in secrets.get("officer_emails") or []}
    oidc = "auth" in secrets
    if name.lower() in officers or (oidc and name.lower() in emails) or (oidc and "officer_emails" not in secrets
                                                                          and not access):
        # With an identity provider and neither `officer_emails` nor `[access]`, everyone signed in may upload,
        # as before roles existed.
        return Grant(name, "officer")
    return Grant(name, "viewer")


def check(secrets: Mapping) -> None:
    """Raise AccessError naming the first entry of the `[access]` table the dashboard does not understand, so a
    mistyped role stops the deployment in words rather than leaving someone with the wrong rights."""
    access = secrets.get("access") or {}
    for name in access.get("people") or {}:
        grant_for(secrets, str(name))
    from_claims({}, access)
