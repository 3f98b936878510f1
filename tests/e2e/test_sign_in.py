"""Signing in and out through the real login page in Chromium, as each demo role."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

ROLE_ACCOUNTS = ["quantri", "vanphong", "giamdoc", "phogiamdoc", "truongphong.qlkh", "canbo.qlkh"]
LOGIN_PATH = re.compile(r"/accounts/login/")


def _admin_links(page):
    return page.get_by_role("link", name="Quản trị", exact=True)


@pytest.mark.parametrize("username", ROLE_ACCOUNTS)
def test_each_role_signs_in_and_lands_on_home_with_its_name(page, demo, username):
    sign_in(page, demo.url, username)

    expect(page).to_have_url(f"{demo.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(demo.accounts[username].full_name)


def test_administrator_sees_the_admin_link(page, demo):
    sign_in(page, demo.url, "quantri")

    expect(_admin_links(page).first).to_be_visible()


def test_staff_member_sees_no_admin_link(page, demo):
    sign_in(page, demo.url, "canbo.qlkh")

    expect(page).to_have_url(f"{demo.url}/")
    expect(_admin_links(page)).to_have_count(0)


def test_wrong_password_shows_vietnamese_error_and_stays_on_login(page, demo):
    sign_in(page, demo.url, "canbo.qlkh", password="mat-khau-sai-2026")

    expect(page).to_have_url(LOGIN_PATH)
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"mật khẩu", re.IGNORECASE))
    expect(page.locator("input[name=password]")).to_be_visible()


def test_signing_out_returns_to_login_page(page, demo):
    sign_in(page, demo.url, "canbo.qlkh")
    expect(page).to_have_url(f"{demo.url}/")

    # Sign-out is a POST form inside the user menu; the menu's toggle shows the person's name.
    page.get_by_role("button", name=demo.accounts["canbo.qlkh"].full_name).click()
    page.get_by_role("button", name="Đăng xuất").click()

    expect(page).to_have_url(LOGIN_PATH)
    page.goto(f"{demo.url}/")
    expect(page).to_have_url(LOGIN_PATH)
