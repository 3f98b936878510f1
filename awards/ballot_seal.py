"""The electronic ballot's running counts, sealed with a key that is not in the database.

An agenda item's tally (`BallotTally.sealed`) holds its counts encrypted and authenticated: a fresh random nonce
on every write, a keystream and a tag from HMAC-SHA256 under keys derived from SECRET_KEY (encrypt-then-MAC,
the item's id bound into the tag). Every vote rewrites the tally to a value of the same length that looks new
whatever the choice, so no copy of the database — one snapshot or one after each vote, a dump, a backup, the
write-ahead log, dead row versions — tells the counts before the vote closes without the key. SECRET_KEY_FALLBACKS
still open what the previous key sealed.
"""

import hmac
import secrets
import struct
from base64 import b64decode, b64encode

from django.conf import settings
from django.utils.crypto import salted_hmac

VERSION = b"\x01"
NONCE_BYTES = 16
TAG_BYTES = 32
COUNTS = struct.Struct(">II")  # agree, disagree
SEALED_LENGTH = len(b64encode(VERSION + bytes(NONCE_BYTES + COUNTS.size + TAG_BYTES)))
ENCRYPTION_SALT = "awards.ballot_seal.keystream"
TAG_SALT = "awards.ballot_seal.tag"


class SealBroken(Exception):
    """The sealed counts were not made with this key (or any fallback), or were altered."""


def _secrets():
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _keystream(nonce, secret):
    return salted_hmac(ENCRYPTION_SALT, nonce, secret=secret, algorithm="sha256").digest()[: COUNTS.size]


def _tag(item_id, nonce, body, secret):
    message = VERSION + str(item_id).encode() + b"|" + nonce + body
    return salted_hmac(TAG_SALT, message, secret=secret, algorithm="sha256").digest()


def seal(item_id, agree, disagree):
    """The counts of one agenda item, sealed: a text of fixed length that differs on every call."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    secret = settings.SECRET_KEY
    body = bytes(a ^ b for a, b in zip(COUNTS.pack(agree, disagree), _keystream(nonce, secret), strict=True))
    return b64encode(VERSION + nonce + body + _tag(item_id, nonce, body, secret)).decode("ascii")


def unseal(item_id, sealed):
    """(agree, disagree) from `seal(item_id, …)`; SealBroken when no known key made it for this item."""
    try:
        raw = b64decode(sealed.encode("ascii"), validate=True)
    except ValueError:
        raise SealBroken("not base64") from None
    if len(raw) != 1 + NONCE_BYTES + COUNTS.size + TAG_BYTES or raw[:1] != VERSION:
        raise SealBroken("wrong length or version")
    nonce, body, tag = raw[1 : 1 + NONCE_BYTES], raw[1 + NONCE_BYTES : -TAG_BYTES], raw[-TAG_BYTES:]
    for secret in _secrets():
        if hmac.compare_digest(tag, _tag(item_id, nonce, body, secret)):
            return COUNTS.unpack(bytes(a ^ b for a, b in zip(body, _keystream(nonce, secret), strict=True)))
    raise SealBroken("tag does not match")
