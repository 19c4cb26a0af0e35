# Ceph RGW (S3) from Debian (Ceph 16): one mon, one memstore OSD and radosgw in one container, created afresh at
# every start (memstore keeps objects in RAM only), authentication off, as deploy/local/up.sh runs them on the host.
# Settings (environment): RGW_PORT (7480), CEPH_MON_PORT (3300; the v1 port is CEPH_MON_PORT + 3489, 6789 by
# default), CEPH_BIND (127.0.0.1), S3_ACCESS_KEY / S3_SECRET_KEY (required: no default keys; compose passes
# this install's, FACTORY_S3_ACCESS_KEY / FACTORY_S3_SECRET_KEY). Runs as root: the daemons are
# started as the cluster's creator, as on the host.
ARG BASE=127.0.0.1:5000/base/debian:bookworm
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && apt-get update \
 && apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd curl \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
ENV RGW_PORT=7480 CEPH_MON_PORT=3300 CEPH_BIND=127.0.0.1 S3_UID=factory CEPH_CONF=/etc/ceph/ceph.conf
COPY ceph-rgw-entrypoint.sh /usr/local/bin/factory-ceph-rgw
HEALTHCHECK --interval=5s --timeout=10s --start-period=120s CMD curl -fsS "http://$CEPH_BIND:$RGW_PORT/" >/dev/null || exit 1
ENTRYPOINT ["/usr/local/bin/factory-ceph-rgw"]
