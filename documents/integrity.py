"""The fingerprint of a document's content, taken when it is approved or frozen, to show it never changed."""

import hashlib
import json


def content_digest(content):
    """SHA-256 of the canonical JSON of `content` (keys sorted, dates and decimals as text)."""
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
