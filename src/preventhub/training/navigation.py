from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "Training",
        "training:framework",
        "training.view_framework",
        description="The Prevent Training Framework, training products and coverage.",
    )
)
