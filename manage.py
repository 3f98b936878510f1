#!/usr/bin/env python
"""Django's command-line utility for the campaign portal."""

import os
import sys

# Commands that run without the project's settings.
WITHOUT_SETTINGS = {"help", "--help", "-h", "version", "--version"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    if len(sys.argv) > 1 and sys.argv[1] not in WITHOUT_SETTINGS:
        # Settings that cannot load (no secret key with debug off, a bad value) stop every command here with their
        # own message; Django would otherwise go on and fail in whichever system check it happens to run first.
        settings.INSTALLED_APPS  # noqa: B018 — loading the settings is the point
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
