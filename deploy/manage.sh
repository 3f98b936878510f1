#!/bin/sh
# manage.py as the portal's services run it: as the user congthidua, in the checkout, with /etc/congthidua/env.
#   sudo /srv/congthidua/app/deploy/manage.sh migrate
#   sudo /srv/congthidua/app/deploy/manage.sh collectstatic --no-input
# The environment file is read by sh here and by systemd in the units: keep each value on one line, and put a value
# with spaces in double quotes (both read KEY="a b" the same way).
set -eu
APP=$(cd "$(dirname "$0")/.." && pwd)
ENV_FILE=${CONGTHIDUA_ENV:-/etc/congthidua/env}
USER_NAME=${CONGTHIDUA_USER:-congthidua}
# collectstatic's files must stay readable by nginx; the private folder itself is 0700.
umask 022
exec runuser -u "$USER_NAME" -- sh -c 'set -a; . "$1"; set +a; cd "$2"; shift 2; exec .venv/bin/python manage.py "$@"' \
  manage "$ENV_FILE" "$APP" "$@"
