"""The sign-in backend: Django's, loading each request's user together with their unit and capabilities.

Every page shows the person's unit and the capability checks read their groups, so loading both with the user saves
two queries on every request: the unit by a join, the group names by a subquery joined into one string.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, CharField, OuterRef, Subquery, Value

# Between two group names in the joined string: the ASCII unit separator, which no name typed in the admin holds.
SEPARATOR = "\x1f"


class JoinedNames(Aggregate):
    """The values joined by SEPARATOR (GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL); NULL without rows."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(SEPARATOR), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def with_capability_names(users):
    """`users` annotated with their group names (read by `User.capability_names`)."""
    memberships = get_user_model().groups.through.objects.filter(user_id=OuterRef("pk")).order_by()
    names = memberships.values("user_id").annotate(joined=JoinedNames("group__name")).values("joined")
    return users.annotate(joined_capability_names=Subquery(names))


class UnitModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = with_capability_names(user_model._default_manager.select_related("unit")).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        joined = user.joined_capability_names
        user._capability_names = frozenset(joined.split(SEPARATOR)) if joined else frozenset()
        return user if self.user_can_authenticate(user) else None
