"""Every message Django, its contrib apps and django-axes show has a Vietnamese translation.

Django's own vi catalogues are years old: messages added or changed since then are missing from
them or left empty. locale/vi/LC_MESSAGES fills those gaps; these tests find the gaps the same way
(Django's en catalogue lists the current messages) and ask gettext for each.
"""

import ast
from pathlib import Path

import axes
import django
import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

DJANGO_DIR = Path(django.__file__).parent
PACKAGES = ["conf", "contrib/auth", "contrib/admin", "contrib/contenttypes", "contrib/sessions"]
# Messages whose Vietnamese text is the English text.
SAME_IN_VIETNAMESE = {"…", "%(truncated_text)s…", "IPv4", "IPv6"}


def parse_po(path):
    """{(context, msgid, msgid_plural): (msgstrs, fuzzy)} for the live entries of a .po file."""
    entries, entry, field = {}, None, None

    def finish():
        if entry and entry["msgid"]:
            key = (entry["msgctxt"], entry["msgid"], entry["msgid_plural"])
            entries[key] = ([s for s in entry["msgstr"] if s], entry["fuzzy"])

    for raw in Path(path).read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line or line.startswith("#~"):
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": [], "fuzzy": False}
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += text
            else:
                entry[field] += text
        else:
            keyword, _, literal = line.partition(" ")
            field = "msgstr" if keyword.startswith("msgstr") else keyword
            if field == "msgstr":
                entry["msgstr"].append(ast.literal_eval(literal))
            else:
                entry[field] = ast.literal_eval(literal)
    return entries


def untranslated_in_django(package, domain):
    locale_dir = DJANGO_DIR / package / "locale"
    current = parse_po(locale_dir / "en" / "LC_MESSAGES" / f"{domain}.po")
    vietnamese = parse_po(locale_dir / "vi" / "LC_MESSAGES" / f"{domain}.po")
    return sorted(
        (key for key in current if key not in vietnamese or not vietnamese[key][0] or vietnamese[key][1]),
        key=lambda key: (key[0] or "", key[1]),
    )


def lookups(catalogue, key):
    """What the catalogue returns for the entry, once per plural form that English distinguishes."""
    context, msgid, plural = key
    if plural is None:
        return [catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)]
    if context:
        return [catalogue.npgettext(context, msgid, plural, n) for n in (1, 2)]
    return [catalogue.ngettext(msgid, plural, n) for n in (1, 2)]


def english(key, n_index):
    _, msgid, plural = key
    return msgid if plural is None or n_index == 0 else plural


def assert_all_translated(catalogue, keys):
    missing = [
        key[1]
        for key in keys
        for index, text in enumerate(lookups(catalogue, key))
        if text == english(key, index) and key[1] not in SAME_IN_VIETNAMESE
    ]
    assert missing == []


class _ActiveLanguage:
    """gettext, ngettext... of django.utils.translation, under whatever language is active."""

    gettext = staticmethod(translation.gettext)
    ngettext = staticmethod(translation.ngettext)
    pgettext = staticmethod(translation.pgettext)
    npgettext = staticmethod(translation.npgettext)


@pytest.mark.parametrize("package", PACKAGES)
def test_django_messages_missing_from_its_vi_catalogue_are_translated(package):
    keys = untranslated_in_django(package, "django")
    with translation.override("vi"):
        assert_all_translated(_ActiveLanguage, keys)


def test_the_gap_finder_finds_the_known_gaps():
    gaps = {key[1] for package in PACKAGES for key in untranslated_in_django(package, "django")}

    assert "CSRF verification failed. Request aborted." in gaps
    assert "This password is too short. It must contain at least %d character." in gaps
    assert "Please correct the error below." in gaps  # singular in the vi catalogue, plural since
    assert "Select a valid choice. That choice is not one of the available choices." not in gaps


def test_admin_javascript_messages_missing_from_its_vi_catalogue_are_translated():
    keys = untranslated_in_django("contrib/admin", "djangojs")
    catalogue = DjangoTranslation("vi", domain="djangojs", localedirs=[DJANGO_DIR / "contrib" / "admin" / "locale"])

    assert_all_translated(catalogue, keys)


def axes_messages():
    """The literal strings django-axes passes to gettext (an f-string there cannot be translated)."""
    messages = set()
    for source in Path(axes.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                messages.add(node.args[0].value)
    return messages


def test_axes_messages_are_translated():
    messages = axes_messages()
    assert "Account locked: too many login attempts. Please try again later." in messages

    with translation.override("vi"):
        assert [message for message in sorted(messages) if translation.gettext(message) == message] == []


def test_compiled_catalogues_match_their_sources():
    locale_dir = Path(settings.BASE_DIR) / "locale"
    catalogues = {
        "django": translation.trans_real.translation("vi"),
        "djangojs": DjangoTranslation("vi", domain="djangojs", localedirs=[locale_dir]),
    }
    for domain, catalogue in catalogues.items():
        ours = parse_po(locale_dir / "vi" / "LC_MESSAGES" / f"{domain}.po")
        stale = [key[1] for key, (msgstrs, _) in ours.items() if lookups(catalogue, key)[0] != msgstrs[0]]
        assert stale == [], f"{domain}.mo is older than {domain}.po: run msgfmt -c"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (forms.IntegerField(), "mười", "Nhập một số nguyên."),
        (forms.EmailField(), "canbo@", "Nhập một địa chỉ email hợp lệ."),
        (forms.IntegerField(max_value=10), "11", "Giá trị này phải nhỏ hơn hoặc bằng 10."),
        (forms.CharField(max_length=3), "abcd", "Giá trị này chỉ được có tối đa 3 ký tự (hiện có 4)."),
    ],
)
def test_form_errors_read_as_natural_vietnamese(field, typed, message):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        field.clean(typed)

    assert refused.value.messages == [message]
