namespace Pipelines.Generators;

public sealed partial class TektonGenerator
{
    /// <summary>The runner image every target step runs in; the SDK version follows <c>global.json</c>, so a bump regenerates it.</summary>
    private string RunnerDockerfile() =>
        $$"""
        # {{GeneratedHeader.Lines(_configuration)[0]}}
        # The image every generated Tekton step runs in: the .NET SDK global.json pins, git, and Trivy, as a non-root user.
        # Build it with the toolkit's own Containerize: ./build.sh Containerize --skip --dockerfile tekton/runner/Dockerfile --context tekton/runner --image-name pipeline-runner
        FROM mcr.microsoft.com/dotnet/sdk:{{_dotnetSdkVersion}}

        ARG TRIVY_VERSION={{_pipeline.TrivyVersion}}

        USER root
        RUN set -eux; \
            apt-get update; \
            apt-get install -y --no-install-recommends git ca-certificates curl{{Packages()}}; \
            rm -rf /var/lib/apt/lists/*; \
            case "$(dpkg --print-architecture)" in amd64) platform=64bit ;; arm64) platform=ARM64 ;; *) echo "unsupported architecture" >&2; exit 1 ;; esac; \
            archive="trivy_${TRIVY_VERSION}_Linux-${platform}.tar.gz"; \
            base="https://github.com/aquasecurity/trivy/releases/download/v${TRIVY_VERSION}"; \
            cd /tmp; \
            curl -fsSLO "$base/$archive"; \
            curl -fsSLO "$base/trivy_${TRIVY_VERSION}_checksums.txt"; \
            grep " $archive\$" "trivy_${TRIVY_VERSION}_checksums.txt" | sha256sum --check --strict; \
            tar -xzf "$archive" -C /usr/local/bin trivy; \
            rm -f "$archive" "trivy_${TRIVY_VERSION}_checksums.txt"; \
            trivy --version{{NpmTools()}}

        ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
            DOTNET_NOLOGO=1 \
            DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

        # The SDK image's "app" user; the generated Tasks run as this uid with runAsNonRoot.
        USER {{_pipeline.RunnerUserId}}

        """;

    private string Packages() => string.Concat(_pipeline.RunnerPackages.Select(p => " " + p));

    private string NpmTools() =>
        _pipeline.RunnerNpmTools.Count == 0 ? "" : "; \\\n    npm install --global --no-audit --no-fund " + string.Join(' ', _pipeline.RunnerNpmTools);
}
