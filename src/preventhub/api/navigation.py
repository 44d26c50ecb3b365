"""The API's entries in the service navigation."""

from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "API tokens",
        "api:tokens",
        "api.use_tokens",
        description="Tokens for your own programs and scripts to use the Prevent Hub API as you.",
    )
)
register(
    NavEntry(
        "Service tokens",
        "api:service_tokens",
        "api.view_service_tokens",
        description="Tokens for partners' systems to send their returns and updates.",
    ),
)
