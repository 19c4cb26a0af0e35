# The executor: the self-contained publish in app/, the Debian docker CLI (20.10, BuildKit built in) and an entry
# point that names the executor after its container. It talks to the engine named by DOCKER_HOST (the host's socket
# mounted in, or tcp://remote). Runs as "factory" (uid 10001); compose adds the socket's group (see deploy/compose).
ARG BASE=127.0.0.1:5000/base/debian:bookworm
ARG RUNTIME_DEPS

# Only the client binary of Debian's docker.io: installing the package would bring dockerd, containerd, runc and
# iptables. Downloaded on the build machine's architecture (no emulation) for the target's.
FROM --platform=$BUILDPLATFORM ${BASE} AS docker-cli
ARG TARGETARCH
RUN dpkg --add-architecture ${TARGETARCH} \
 && apt-get update \
 && cd /tmp && apt-get download docker.io:${TARGETARCH} \
 && dpkg-deb -x /tmp/docker.io_*.deb /tmp/docker.io \
 && install -D -m 0755 /tmp/docker.io/usr/bin/docker /out/usr/bin/docker

FROM ${RUNTIME_DEPS}
ENV DOTNET_RUNNING_IN_CONTAINER=true DOCKER_BUILDKIT=1 \
    Executor__DockerCli=/usr/bin/docker Executor__StateDirectory=/var/lib/factory Executor__ManifestStore=/srv/factory/manifests
COPY --from=docker-cli /out/usr/bin/docker /usr/bin/docker
COPY executor-entrypoint.sh /usr/local/bin/factory-executor
COPY manifests/ /srv/factory/manifests/
COPY app/ /opt/factory/executor/
WORKDIR /opt/factory/executor
USER factory
ENTRYPOINT ["/usr/local/bin/factory-executor"]
