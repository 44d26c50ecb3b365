"""Casework's pages, one module per part: ``referrals`` (the list, intake, the partner form, the
case page, triage, routing, break-glass, the subject access export), ``channel`` (the panel and
the support of a case), ``lists`` (the reference lists) and ``oversight`` (statistics, retention,
the break-glass log)."""
