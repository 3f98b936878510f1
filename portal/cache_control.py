"""Nothing private stays in a cache: every signed-in response and every file download says "no-store, private".

A shared computer's browser cache, its back button and any proxy between the office and the server would
otherwise keep reports, ballots and issued documents after the person signed out. The public pages
(namespace "public", /cong-khai/) are the same for everyone and keep whatever caching they have; static files
never reach this middleware (WhiteNoise answers them first).
"""

from django.http import FileResponse

PRIVATE = "no-store, private"
PUBLIC_NAMESPACE = "public"


def _is_public_page(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and PUBLIC_NAMESPACE in match.namespaces


def _is_download(response):
    return isinstance(response, FileResponse) or response.get("Content-Disposition", "").startswith("attachment")


class PrivateCacheControlMiddleware:
    """After AuthenticationMiddleware: marks what was answered to a signed-in person, and downloads, uncacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_public_page(request):
            # Not even request.user is read here: touching the session would add "Vary: Cookie" to public pages.
            return response
        user = getattr(request, "user", None)
        if _is_download(response) or (user is not None and user.is_authenticated):
            # Replaces whatever a view set ("no-store" alone, never_cache's "max-age=0, …"): one answer everywhere.
            response["Cache-Control"] = PRIVATE
        return response
