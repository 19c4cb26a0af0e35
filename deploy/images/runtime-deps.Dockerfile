# What a self-contained .NET service needs from Debian (OpenSSL for signing and TLS, ICU for cultures, CA certificates,
# time zones), on the local Debian base. Built once per architecture; every service image starts from it.
ARG BASE=127.0.0.1:5000/base/debian:bookworm
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 tzdata \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && useradd --system --uid 10001 --user-group --home-dir /home/factory --create-home --shell /usr/sbin/nologin factory \
 && install -d -o factory -g factory /var/lib/factory
