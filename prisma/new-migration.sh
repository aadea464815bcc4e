#!/usr/bin/env bash
# Authors the next migration from the difference between the schema as last committed and
# prisma/schema.prisma (`prisma migrate dev` cannot run here: its shadow database fails
# through both driver adapters). Usage: npm run migration:new -- <name>
set -euo pipefail
name="${1:?usage: npm run migration:new -- <name>}"
cd "$(dirname "$0")/.."
previous=$(mktemp --suffix=.prisma)
trap 'rm -f "$previous"' EXIT
if git cat-file -e HEAD:prisma/schema.prisma 2>/dev/null; then
  git show HEAD:prisma/schema.prisma > "$previous"
  from=(--from-schema-datamodel "$previous")
else
  from=(--from-empty)
fi
folder="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
script=$(DATABASE_URL=pglite:memory npx prisma migrate diff "${from[@]}" --to-schema-datamodel prisma/schema.prisma --script)
if ! grep -qv '^--' <<<"$script" || [ -z "$(grep -v '^--' <<<"$script" | tr -d '[:space:]')" ]; then
  echo "schema.prisma matches the last committed schema: no migration needed" >&2
  exit 1
fi
mkdir -p "$folder"
printf '%s\n' "$script" > "$folder/migration.sql"
echo "wrote $folder/migration.sql — review it, then commit it with schema.prisma" >&2
