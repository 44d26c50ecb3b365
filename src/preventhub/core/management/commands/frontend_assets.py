"""Copy GOV.UK Frontend and MOJ Frontend from node_modules into the core app's static files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STATIC_VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"

# (package folder inside node_modules, files and folders to copy, destination under vendor/)
PACKAGES = [
    (
        "govuk-frontend",
        "govuk-frontend/dist/govuk",
        [
            "govuk-frontend.min.css",
            "govuk-frontend.min.css.map",
            "all.bundle.js",
            "all.bundle.js.map",
            "assets",
        ],
        "govuk",
    ),
    (
        "@ministryofjustice/frontend",
        "@ministryofjustice/frontend/moj",
        [
            "moj-frontend.min.css",
            "moj-frontend.min.css.map",
            "all.bundle.js",
            "all.bundle.js.map",
            "assets",
        ],
        "moj",
    ),
]


class Command(BaseCommand):
    help = "Copy the locked GOV.UK Frontend and MOJ Frontend builds into static files."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--node-modules",
            default=str(Path(settings.BASE_DIR) / "node_modules"),
            help="Where npm installed the packages (default: ./node_modules).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        node_modules = Path(options["node_modules"])
        for package, source, names, destination in PACKAGES:
            package_dir = node_modules / package
            if not (package_dir / "package.json").exists():
                raise CommandError(f"{package} is not installed in {node_modules}: run `npm ci`.")
            version = json.loads((package_dir / "package.json").read_text())["version"]
            target = STATIC_VENDOR / destination
            if target.exists():
                shutil.rmtree(target)
            target.mkdir(parents=True)
            for name in names:
                path = node_modules / source / name
                if path.is_dir():
                    shutil.copytree(path, target / name)
                else:
                    shutil.copy2(path, target / name)
            # The stylesheets ask for /assets/...; ours live beside the stylesheet.
            for css in target.glob("*.min.css"):
                css.write_text(
                    css.read_text(encoding="utf-8").replace("url(/assets/", "url(assets/"),
                    encoding="utf-8",
                )
            self.stdout.write(f"Copied {package} {version} to {target}")
