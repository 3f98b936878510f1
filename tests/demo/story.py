"""The day the demo's story is told (27/11/2026, 10:00): 2026-FY is open and 2026-H1 lies behind it, all accepted.
The tests that read the demo freeze the clock there."""

import datetime

from django.utils import timezone

TODAY = timezone.make_aware(datetime.datetime(2026, 11, 27, 10, 0))
