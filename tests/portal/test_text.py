"""Text hygiene: the one rule (clean_text), its walk through JSON and documents, and the middleware at the edge."""

from dataclasses import dataclass, field

from django.test import RequestFactory

from portal.text import CleanTextMiddleware, clean_deep, clean_text


def test_a_vertical_tab_and_a_form_feed_become_newlines():
    assert clean_text("Dòng một\x0bdòng hai\x0cdòng ba") == "Dòng một\ndòng hai\ndòng ba"


def test_windows_and_old_mac_line_ends_become_newlines():
    assert clean_text("a\r\nb\rc\n") == "a\nb\nc\n"


def test_nul_and_other_control_characters_are_removed_tab_and_newline_kept():
    assert clean_text("a\x00b\x01c\x1fd\x7fe\x85f\x9fg\th\ni") == "abcdefg\th\ni"


def test_lone_surrogates_and_the_xml_noncharacters_are_removed():
    assert clean_text("a\ud800b\udfffc\ufffed\uffffe") == "abcde"


def test_vietnamese_text_and_other_unicode_pass_unchanged_as_the_same_object():
    text = "Giải ngân 100% kế hoạch vốn — “đúng hạn” ½ € 𝔸 U+2028:\u2028."
    assert clean_text(text) is text


def test_clean_deep_cleans_every_string_of_json_and_keeps_keys_and_other_values():
    value = {"items": [{"text": "Đề nghị\x0bbố trí vốn\x00", "to": "province"}], "count": 2, "ok": None, "k\x0b": "v"}
    assert clean_deep(value) == {
        "items": [{"text": "Đề nghị\nbố trí vốn", "to": "province"}],
        "count": 2,
        "ok": None,
        "k\x0b": "v",
    }


@dataclass
class Inner:
    text: str
    rows: list = field(default_factory=list)


@dataclass
class Outer:
    title: str
    parts: list
    pair: tuple = ()


def test_clean_deep_copies_dataclasses_and_leaves_the_original_as_it_was():
    original = Outer(title="Tiêu\x0bđề", parts=[Inner(text="x\x00", rows=[["ô\x0c", 3]])], pair=("a\x01", 1))
    cleaned = clean_deep(original)
    assert cleaned == Outer(title="Tiêu\nđề", parts=[Inner(text="x", rows=[["ô\n", 3]])], pair=("a", 1))
    assert original.title == "Tiêu\x0bđề"


def _through_middleware(request):
    seen = {}

    def view(request):
        seen["GET"], seen["POST"], seen["FILES"] = request.GET, request.POST, request.FILES
        return

    middleware = CleanTextMiddleware(lambda request: None)
    assert middleware.process_view(request, view, (), {}) is None
    view(request)
    return seen


def test_the_middleware_cleans_every_posted_value_and_keeps_the_rest():
    request = RequestFactory().post(
        "/", {"text": "Kết quả\x0btốt\x00.", "many": ["a\x00", "b\r\nc"], "plain": "Không đổi"}
    )
    seen = _through_middleware(request)
    assert seen["POST"]["text"] == "Kết quả\ntốt."
    assert seen["POST"].getlist("many") == ["a", "b\nc"]
    assert seen["POST"]["plain"] == "Không đổi"
    assert not seen["POST"]._mutable


def test_the_middleware_cleans_the_query():
    seen = _through_middleware(RequestFactory().get("/?q=Nguy%E1%BB%85n%00%0B"))
    assert seen["GET"]["q"] == "Nguyễn\n"


def test_the_middleware_leaves_a_clean_request_as_it_came():
    request = RequestFactory().post("/?q=a", {"text": "Sạch sẽ"})
    get, post = request.GET, request.POST
    seen = _through_middleware(request)
    assert seen["GET"] is get
    assert seen["POST"] is post
