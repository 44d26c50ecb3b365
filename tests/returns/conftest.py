from tests.returns.fixtures import (  # noqa: F401 (fixtures)
    client_as,
    coordinator,
    framework,
    open_window,
    owed,
    partner,
    partner_lead,
    quarters,
    sectors,
)
