"""Dates as the GOV.UK style guide writes them: "4 March 2019", "4 March 2019, 14:30"."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
