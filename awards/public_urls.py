"""The public pages: no sign-in, read-only but for the comment form, rate-limited, served under /cong-khai/.

A reverse proxy may expose this prefix beyond the intranet and nothing else (see README).
"""

from .views import public

app_name = "public"

urlpatterns = public.urlpatterns
