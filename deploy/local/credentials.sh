# Sourced by deploy/local/fleet.sh and deploy/compose/compose.sh: this install's secrets, from the file
# deploy/local/up.sh writes (FACTORY_CREDENTIALS, default /etc/factory/credentials/factory.env, root only).

# load_credentials FILE: each known KEY=VALUE line of FILE (parsed, never sourced) exported, unless the environment
# already sets that key (what the environment sets wins). Nothing happens when FILE cannot be read.
load_credentials() {
  local key value
  [ -r "$1" ] || return 0
  while IFS='=' read -r key value; do
    case "$key" in
      FACTORY_AMQP_USER | FACTORY_AMQP_PASSWORD | FACTORY_PG_USER | FACTORY_PG_PASSWORD | FACTORY_S3_ACCESS_KEY | FACTORY_S3_SECRET_KEY)
        [ -n "${!key:-}" ] || export "$key=$value" ;;
    esac
  done <"$1"
}
