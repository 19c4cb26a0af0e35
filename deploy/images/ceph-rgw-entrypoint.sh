#!/bin/bash
# A throwaway single-node Ceph with radosgw: mon, one memstore OSD, the S3 user, then radosgw. Exits (and compose
# restarts it) when any of the three daemons exits; SIGTERM stops them all.
set -euo pipefail
mon_v1=$((CEPH_MON_PORT + 3489))
data=/var/lib/factory-ceph
log() { echo "ceph-rgw: $*" >&2; }
die() { log "error: $*"; tail -n 20 /var/log/ceph/*.log >&2 2>/dev/null || true; exit 1; }
: "${S3_ACCESS_KEY:?S3_ACCESS_KEY is required (no default key): compose passes FACTORY_S3_ACCESS_KEY}"
: "${S3_SECRET_KEY:?S3_SECRET_KEY is required (no default key): compose passes FACTORY_S3_SECRET_KEY}"
wait_until() { local deadline=$((SECONDS + $1)); shift; until "$@" >/dev/null 2>&1; do ((SECONDS < deadline)) || return 1; sleep 1; done; }

fsid=$(cat /proc/sys/kernel/random/uuid)
mkdir -p /etc/ceph /var/log/ceph /run/ceph
cat >"$CEPH_CONF" <<CONF
[global]
fsid = $fsid
mon initial members = a
mon host = [v2:$CEPH_BIND:$CEPH_MON_PORT,v1:$CEPH_BIND:$mon_v1]
public addr = $CEPH_BIND
cluster addr = $CEPH_BIND
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
ms client mode = crc
run dir = /run/ceph
mon data = $data/mon/\$cluster-\$id
osd data = $data/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = 2147483648
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
osd crush chooseleaf type = 0
mon warn on pool no redundancy = false

[client.rgw.factory]
rgw frontends = beast endpoint=$CEPH_BIND:$RGW_PORT
rgw data = $data/radosgw/\$cluster-\$id
CONF

pids=()
stop() { log "stopping"; kill -TERM "${pids[@]}" 2>/dev/null || true; wait; exit 0; }
trap stop TERM INT

rm -rf "$data" && mkdir -p "$data/mon/ceph-a" "$data/osd/ceph-0" "$data/radosgw/ceph-rgw.factory"
monmaptool --create --addv a "[v2:$CEPH_BIND:$CEPH_MON_PORT,v1:$CEPH_BIND:$mon_v1]" --fsid "$fsid" "$data/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$data/monmap" || die "ceph-mon --mkfs failed"
ceph-mon -i a -f & pids+=($!)
wait_until 30 timeout 10 ceph mon stat || die "ceph-mon did not answer within 30s"
uuid=$(cat /proc/sys/kernel/random/uuid)
id=$(timeout 30 ceph osd new "$uuid") || die "ceph osd new failed"
ceph-osd -i "$id" --mkfs --osd-uuid "$uuid" >/dev/null 2>&1 || die "ceph-osd --mkfs failed"
ceph-osd -i "$id" -f & pids+=($!)
wait_until 60 bash -c 'timeout 10 ceph osd stat -f json | tr -d " \n" | grep -q "\"num_up_osds\":1,"' || die "the OSD did not come up within 60s"
radosgw -n client.rgw.factory -f & pids+=($!)
wait_until 90 curl -fsS "http://$CEPH_BIND:$RGW_PORT/" || die "radosgw did not answer on $CEPH_BIND:$RGW_PORT within 90s"
timeout 60 radosgw-admin user create --uid="$S3_UID" --display-name=Factory --access-key="$S3_ACCESS_KEY" \
  --secret-key="$S3_SECRET_KEY" >/dev/null || die "radosgw-admin user create failed"
log "S3 on http://$CEPH_BIND:$RGW_PORT (access key $S3_ACCESS_KEY), mon on $CEPH_BIND:$CEPH_MON_PORT"
# Whichever daemon exits first ends the container.
wait -n "${pids[@]}" || true
log "a daemon exited"
kill -TERM "${pids[@]}" 2>/dev/null || true
exit 1
