"""The awards' entries in the portal's menu and on the home page (portal.navigation)."""

from portal.navigation import add_home_panel, add_menu_item

from . import permissions

AWARDS = ("Khen thưởng", 40)


def register():
    add_menu_item(
        order=40,
        url_name="awards:nomination_list",
        label="Đề nghị khen thưởng",
        visible=permissions.can_see_nominations,
        group=AWARDS,
    )
    add_menu_item(
        order=50,
        url_name="awards:approvals",
        label="Duyệt khen thưởng",
        visible=permissions.can_decide,
        group=AWARDS,
    )
    add_menu_item(
        order=60,
        url_name="awards:council_home",
        label="Hội đồng TĐKT",
        visible=permissions.can_see_council,
        group=AWARDS,
    )
    add_menu_item(
        order=70,
        url_name="awards:document_list",
        label="Văn bản khen thưởng",
        visible=permissions.can_see_documents,
        group=AWARDS,
    )
    add_menu_item(
        order=80,
        url_name="awards:register_list",
        label="Sổ khen thưởng",
        visible=permissions.can_see_register,
        group=AWARDS,
        # The records of people and units the register is kept from.
        owns=("/awards/ho-so/",),
    )
    add_home_panel(order=30, template="awards/home/leadership_card.html", visible=permissions.is_leader)
    add_home_panel(order=40, template="awards/home/council_card.html", visible=permissions.sits_on_council)
