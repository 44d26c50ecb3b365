"""Permissions of the partnership directory: it holds no case data, so every role reads it."""

import rules

from preventhub.core.roles import is_signed_in

rules.add_perm("partnership.view_directory", is_signed_in)
