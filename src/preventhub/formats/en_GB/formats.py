"""Dates as the GOV.UK style guide writes them: "4 March 2019".

Times are written "2:30pm", which Django's formats cannot: templates use the ``govuk_time`` and
``govuk_datetime`` filters (core/templatetags/govuk.py). DATETIME_FORMAT is the fallback for a
date and time printed without them.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
