"""Data built once for a module's tests, like Django's setUpTestData.

A module-scoped fixture writes the data in a transaction opened here and rolled back when the module
ends; each test's own transaction (pytest-django's) is a savepoint inside it, so a test that changes
something leaves the next one the data as built. The fixture must ask for `django_db_setup`; a test
that asks for it as an argument gets it before its own transaction opens (pytest sets up wider scopes
first). Each module runs on one xdist worker (`make test` distributes whole files).
"""

from contextlib import contextmanager

from django.db import transaction
from django.test import override_settings


@contextmanager
def built_once(django_db_blocker, build, **settings):
    """Run `build()` in a transaction kept open for the module; yield its result; roll everything back.

    `settings` are overridden while the data lives (e.g. MEDIA_ROOT for the files it writes).
    """
    overrides = override_settings(**settings)
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        overrides.enable()
        outer.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            overrides.disable()
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            overrides.disable()
