#!/usr/bin/env bash
# Print the latest SMS codes of the development outbox of the `make run` database.
source "$(dirname "$0")/common.sh"
DB="${PRM_DB:-prm}"
db_exists "$DB" || die "database $DB does not exist; run 'make run' first"
psql_admin -d "$DB" -F '  ' -c "
    SELECT DISTINCT ON (u.login) to_char(o.create_date, 'HH24:MI:SS') AS sent,
           u.login, substring(o.body from '[0-9]{6}') AS code
      FROM prm_sms_outbox o JOIN res_users u ON u.id = o.user_id
     WHERE o.create_date > now() at time zone 'utc' - interval '15 minutes'
  ORDER BY u.login, o.id DESC" | sed 's/^/  /'
