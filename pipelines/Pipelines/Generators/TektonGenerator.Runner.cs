namespace Pipelines.Generators;

internal sealed partial class TektonGenerator
{
    /// <summary>
    /// The runner image every target step runs in; the SDK version follows <c>global.json</c>, so a bump regenerates it.
    /// Every base image and download location is a build argument, so a mirror (ACR EE) can serve them.
    /// </summary>
    private string RunnerDockerfile() =>
        $$"""
        # {{GeneratedHeader.Lines(_configuration)[0]}}
        # The image every generated Tekton step runs in: the .NET SDK global.json pins, git (safe.directory for the
        # workspace), kubectl, Node.js for the validators, the docker CLI (the tests call it at the dind sidecar's DOCKER_HOST)
        # and a checksum-pinned Trivy, as a non-root user (linux/amd64).
        # Build and push it with ./build.sh RunnerImage --registry <registry>; a mirror serves the bases with
        # --runner-build-args SDK_IMAGE=<mirror>/dotnet/sdk:{{_dotnetSdkVersion}} NODE_IMAGE=<mirror>/node:… DOCKER_CLI_IMAGE=<mirror>/docker:…-cli@sha256:… TRIVY_URL=… KUBECTL_URL=…
        ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:{{_dotnetSdkVersion}}
        ARG NODE_IMAGE={{_pipeline.NodeImage}}
        ARG DOCKER_CLI_IMAGE={{_pipeline.DockerCliImage}}

        FROM ${NODE_IMAGE} AS node

        FROM ${DOCKER_CLI_IMAGE} AS docker-cli

        FROM ${SDK_IMAGE}

        ARG TRIVY_VERSION={{_pipeline.TrivyVersion}}
        ARG TRIVY_SHA256={{_pipeline.TrivySha256}}
        ARG TRIVY_URL=https://github.com/aquasecurity/trivy/releases/download
        ARG KUBECTL_VERSION={{_pipeline.KubectlVersion}}
        ARG KUBECTL_URL=https://dl.k8s.io/release

        USER root
        COPY --from=node /usr/local/bin/node /usr/local/bin/node
        COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
        COPY --from=docker-cli /usr/local/bin/docker /usr/local/bin/docker
        RUN set -eux; \
            ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; \
            ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; \
            node --version; \
            docker --version; \
            apt-get update; \
            apt-get install -y --no-install-recommends git ca-certificates curl{{Packages()}}; \
            rm -rf /var/lib/apt/lists/*; \
            git config --system --add safe.directory /workspace/source; \
            cd /tmp; \
            archive="trivy_${TRIVY_VERSION}_Linux-64bit.tar.gz"; \
            curl -fsSLO "${TRIVY_URL}/v${TRIVY_VERSION}/${archive}"; \
            echo "${TRIVY_SHA256}  ${archive}" | sha256sum --check --strict; \
            tar -xzf "$archive" -C /usr/local/bin trivy; \
            rm -f "$archive"; \
            trivy --version; \
            curl -fsSLO "${KUBECTL_URL}/v${KUBECTL_VERSION}/bin/linux/amd64/kubectl"; \
            curl -fsSLO "${KUBECTL_URL}/v${KUBECTL_VERSION}/bin/linux/amd64/kubectl.sha256"; \
            echo "$(cat kubectl.sha256)  kubectl" | sha256sum --check --strict; \
            install -m 0755 kubectl /usr/local/bin/kubectl; \
            rm -f kubectl kubectl.sha256; \
            kubectl version --client{{NpmTools()}}

        ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
            DOTNET_NOLOGO=1 \
            DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

        # The SDK image's "app" user; the generated Tasks run as this uid with runAsNonRoot.
        USER {{_pipeline.RunnerUserId}}

        """;

    // Node.js comes from NODE_IMAGE (the distribution's npm would pull an older Node).
    private string Packages() => string.Concat(_pipeline.RunnerPackages.Where(p => p is not ("npm" or "nodejs")).Select(p => " " + p));

    private string NpmTools() =>
        _pipeline.RunnerNpmTools.Count == 0 ? "" : "; \\\n    npm install --global --no-audit --no-fund " + string.Join(' ', _pipeline.RunnerNpmTools);
}
