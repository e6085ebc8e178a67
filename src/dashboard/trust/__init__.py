"""Who may do what and the record of it: roles and scopes (and an upload's rows outside them), password hashes,
sign-in policy, session binding, the audit trail."""
