"""Going somewhere through the portal's menu in a browser test, as a person would: a grouped item is in its group's
dropdown (portal/navigation.py), so the group is opened first."""


def open_menu_item(page, label):
    """Click the header's menu item `label`, opening its group's dropdown if it has one."""
    # CSS locators, not get_by_role: a closed dropdown's items are hidden, and get_by_role leaves those out.
    header = page.locator("header")
    item = header.locator(f'[data-menu-item="{label}"]')
    if not item.is_visible():
        header.locator(".nav-item.dropdown").filter(has=page.locator(f'[data-menu-item="{label}"]')).locator(
            ".dropdown-toggle"
        ).click()
    item.click()
