# PostgreSQL 15 from Debian, for compose and tests on host networking. Settings (environment): PGPORT (5432),
# POSTGRES_LISTEN (127.0.0.1), POSTGRES_USER / POSTGRES_DB (factory / factory; the role may create databases, as
# the tests need), POSTGRES_PASSWORD (required: no default, the first start refuses without it). Data in /var/lib/postgresql/data (a volume keeps it).
ARG BASE=127.0.0.1:5000/base/debian:bookworm
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && install -d -o postgres -g postgres /var/lib/postgresql/data /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data PGPORT=5432 POSTGRES_LISTEN=127.0.0.1 \
    POSTGRES_USER=factory POSTGRES_DB=factory
COPY postgresql-entrypoint.sh /usr/local/bin/factory-postgresql
USER postgres
HEALTHCHECK --interval=3s --timeout=10s --start-period=5s CMD pg_isready -q -h "$POSTGRES_LISTEN" -p "$PGPORT" || exit 1
ENTRYPOINT ["/usr/local/bin/factory-postgresql"]
