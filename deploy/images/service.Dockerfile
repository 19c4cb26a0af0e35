# A Factory .NET service (control plane, results consumer): the self-contained publish in app/, run as the non-root
# user "factory" (uid 10001). build.sh prepares the context: app/ (dotnet publish -r linux-<arch> --self-contained)
# and manifests/ (the shipped manifest store, the default of ControlPlane:ManifestStore; compose mounts another).
ARG RUNTIME_DEPS
FROM ${RUNTIME_DEPS}
ARG SERVICE
ARG ENTRY
ENV DOTNET_RUNNING_IN_CONTAINER=true ControlPlane__ManifestStore=/srv/factory/manifests
COPY manifests/ /srv/factory/manifests/
COPY app/ /opt/factory/${SERVICE}/
# The apphost follows the link to its own directory; the working directory is the content root (appsettings.json).
RUN ln -s /opt/factory/${SERVICE}/${ENTRY} /usr/local/bin/factory-service
WORKDIR /opt/factory/${SERVICE}
USER factory
ENTRYPOINT ["/usr/local/bin/factory-service"]
