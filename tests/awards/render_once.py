"""Each distinct award document rendered once per test module (WeasyPrint costs a second or more a file).

The render job (awards/services/documents.py) runs whole in every test — claim, build, render, store, finish —
but its renderers answer from a module-wide memo keyed on what they are given: the built Document (every field,
as text, as documents.stored.document_digest fingerprints it) or the certificates' content. The renderers are pure
functions of that input (tests/documents/test_layout.py checks they never read the database), so the bytes are the
ones a fresh render would print; a document that differs in anything — a number, a signer, a date, a name — is
rendered anew. A test run alone renders everything it reads; a failing render is never remembered.
"""

from unittest import mock

import pytest

from awards.documents import certificates as certificate_pages
from awards.services import documents as award_documents
from documents.integrity import content_digest
from documents.stored import document_digest


def _memoized(render, key_of, memo):
    def rendered(source):
        key = (render.__name__, key_of(source))
        if key not in memo:
            memo[key] = render(source)
        return memo[key]

    return rendered


def award_renders_left_queued():
    """The award documents' render job stays queued (not published), for a test that reads none of their files."""
    return mock.patch.object(award_documents.RENDER_JOB, "enqueue", return_value=False)


@pytest.fixture(scope="module", autouse=True)
def _each_document_rendered_once():
    memo = {}
    renderers = {
        "render_pdf": document_digest,
        "render_docx": document_digest,
        "render_certificates": lambda document: content_digest(certificate_pages.certificates(document)),
    }
    patches = [
        mock.patch.object(award_documents, name, _memoized(getattr(award_documents, name), key_of, memo))
        for name, key_of in renderers.items()
    ]
    for patch in patches:
        patch.start()
    yield memo
    for patch in reversed(patches):
        patch.stop()
