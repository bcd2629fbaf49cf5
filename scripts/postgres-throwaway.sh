#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster (Debian's postgresql package) for the job-store tests.
#   scripts/postgres-throwaway.sh start DIR   → initdb in DIR, listen on a free loopback port, print the connection string
#   scripts/postgres-throwaway.sh stop DIR    → stop it (DIR is then safe to delete)
# PostgreSQL refuses to run as root, so as root the cluster runs as the 'postgres' system user.
set -euo pipefail
action=${1:?start|stop}
dir=${2:?cluster directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "postgres-throwaway: PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    port=""
    for p in $(seq 55432 55532); do
      # A refused connection means nobody listens there.
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
    done
    [ -n "$port" ] || { echo "postgres-throwaway: no free port in 55432-55532" >&2; exit 1; }
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
