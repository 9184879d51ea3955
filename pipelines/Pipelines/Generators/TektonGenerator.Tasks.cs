using Pipelines.Workspace;

namespace Pipelines.Generators;

internal sealed partial class TektonGenerator
{
    private const string CertsVolume = "dind-certs";
    private const string CertsPath = "/certs/client";

    /// <summary>The Kubernetes Secret (keys: the parameters' environment names) that holds every <c>[Secret]</c> parameter.</summary>
    public string SecretsName => TaskName("secrets");

    /// <summary>The Secret with the GitHub token (key <c>token</c>) the finally Task posts the commit status with.</summary>
    public string GitHubTokenSecretName => TaskName("github-token");

    /// <summary>The Secret with GitHub's webhook secret (key <c>secretToken</c>).</summary>
    public string WebhookSecretName => TaskName("github-webhook");

    /// <summary>
    /// One target, one Task, one step: <c>./build.sh &lt;Target&gt; --skip</c> on the shared workspace.
    /// Earlier targets ran in earlier Tasks; their outputs are read back from the state file there.
    /// </summary>
    private YamlMap TargetTask(TargetShape target)
    {
        var docker = IsDocker(target);
        var step = new YamlMap
        {
            ["name"] = target.KebabName,
            ["image"] = _pipeline.RunnerImage,
            ["workingDir"] = $"$(workspaces.{Workspace}.path)",
            ["command"] = new[] { "./build.sh" },
            ["args"] = new[] { target.Name, "--skip" },
            // The settings (registry, manifests repository, …) from the ConfigMap kept next to the Pipeline.
            ["envFrom"] = new List<YamlMap> { new() { ["configMapRef"] = new YamlMap { ["name"] = ConfigMapName } } },
            ["env"] = StepEnvironment(target, docker).ToList(),
            ["computeResources"] = _pipeline.StepResources.ToYaml(),
            ["securityContext"] = NonRoot(_pipeline.RunnerUserId),
            ["volumeMounts"] = docker ? new List<YamlMap> { new() { ["name"] = CertsVolume, ["mountPath"] = CertsPath, ["readOnly"] = true } } : null,
        };
        var workspaces = new List<YamlMap>
        {
            new() { ["name"] = Workspace, ["description"] = $"The repository checkout; {WorkspaceLayout.Relative.StateFile} carries outputs between Tasks." },
        };
        workspaces.AddRange(CachesOf(target).Select(c => new YamlMap { ["name"] = c.Name, ["description"] = $"Kept between runs ({c.Parameter}); unbound: the build's default folder.", ["optional"] = true }));
        var parameters = PlainParameters.Select(p => Param(p.CliName, ParamDescription(p), "")).ToList();
        if (docker) parameters.Insert(0, Param("dind-image", DindImageDescription, _pipeline.DindImage));
        var spec = new YamlMap
        {
            ["description"] = target.Description ?? $"Runs the build's {target.Name} target.",
            ["workspaces"] = workspaces,
            ["params"] = parameters.Count == 0 ? null : parameters,
            ["results"] = target.Outputs.Count == 0
                ? null
                : target.Outputs.Select(o => new YamlMap { ["name"] = o, ["type"] = "string", ["description"] = $"{o} published by {target.Name}." }).ToList(),
            ["volumes"] = docker ? new List<YamlMap> { new() { ["name"] = CertsVolume, ["emptyDir"] = new YamlMap() } } : null,
            ["steps"] = new List<YamlMap> { step },
            ["sidecars"] = docker ? new List<YamlMap> { DindSidecar() } : null,
        };
        return new YamlMap
        {
            ["apiVersion"] = "tekton.dev/v1",
            ["kind"] = "Task",
            ["metadata"] = Metadata(TaskName(target.KebabName), $"{Name} {target.Name}"),
            ["spec"] = spec,
        };
    }

    private IEnumerable<YamlMap> StepEnvironment(TargetShape target, bool docker)
    {
        // The host marker: the engine writes outputs as Tekton results, /tekton/results/<NAME> = $(results.<NAME>.path).
        yield return Env("PIPELINE_HOST", "tekton");
        if (target.Outputs.Count > 0) yield return Env("PIPELINE_RESULTS_DIR", "/tekton/results");
        yield return Env("PIPELINE_RUN", "$(context.taskRun.name)");
        yield return Env("PIPELINE_NAMESPACE", "$(context.taskRun.namespace)");
        // Restored packages stay on the workspace, so later Tasks do not restore again.
        yield return Env("NUGET_PACKAGES", $"$(workspaces.{Workspace}.path)/.nuget/packages");
        foreach (var variable in SafeDirectory($"$(workspaces.{Workspace}.path)")) yield return variable;
        foreach (var parameter in PlainParameters)
            yield return Env(parameter.EnvironmentName, $"$(params.{parameter.CliName})");
        foreach (var cache in CachesOf(target))
            yield return Env(cache.EnvironmentVariable ?? _build.Parameters.Single(p => p.MemberName == cache.Parameter).EnvironmentName, $"$(workspaces.{cache.Name}.path)");
        // Only the secrets this target reads (TargetSecrets of the build's Ci).
        foreach (var parameter in _secrets.Of([target.Name]))
            yield return new YamlMap
            {
                ["name"] = parameter.EnvironmentName,
                ["valueFrom"] = new YamlMap
                {
                    ["secretKeyRef"] = new YamlMap { ["name"] = SecretsName, ["key"] = parameter.EnvironmentName, ["optional"] = true },
                },
            };
        if (!docker) yield break;
        yield return Env("DOCKER_HOST", "tcp://localhost:2376");
        yield return Env("DOCKER_TLS_VERIFY", "1");
        yield return Env("DOCKER_CERT_PATH", CertsPath);
    }

    /// <summary>
    /// git refuses a repository owned by another user ("dubious ownership", tektoncd/catalog#988): the workspace
    /// root belongs to root, the steps run as the runner user. <c>safe.directory</c> through git's environment
    /// configuration (command-line scope, which git honours for it) covers the clone and every git call of the build.
    /// </summary>
    private static IEnumerable<YamlMap> SafeDirectory(string path)
    {
        yield return Env("GIT_CONFIG_COUNT", "1");
        yield return Env("GIT_CONFIG_KEY_0", "safe.directory");
        yield return Env("GIT_CONFIG_VALUE_0", path);
    }

    /// <summary>A Docker engine beside the step, reachable over TLS with client certificates in a shared emptyDir.</summary>
    private YamlMap DindSidecar() => new()
    {
        ["name"] = "dind",
        ["image"] = "$(params.dind-image)",
        ["args"] = new[] { "--storage-driver=vfs" },
        ["computeResources"] = _pipeline.SidecarResources.ToYaml(),
        ["env"] = new List<YamlMap> { Env("DOCKER_TLS_CERTDIR", "/certs") },
        // dockerd needs root and privileges; the build step itself does not.
        ["securityContext"] = new YamlMap { ["privileged"] = true },
        ["volumeMounts"] = new List<YamlMap> { new() { ["name"] = CertsVolume, ["mountPath"] = CertsPath } },
        ["readinessProbe"] = new YamlMap
        {
            ["periodSeconds"] = 1,
            // A busy node answers slower than the 1s default; a slow answer only delays the step.
            ["timeoutSeconds"] = 5,
            ["exec"] = new YamlMap
            {
                // Ready when the daemon answers over TLS as the step will reach it (certificate files alone appear
                // before dockerd listens). The generated client key is root-only; the non-root step must be able to read it.
                ["command"] = new[] { "sh", "-c", DindReadyScript },
            },
        },
    };

    /// <summary>The sidecar's readiness: its own docker CLI asks the daemon for its version at the step's address and certificates.</summary>
    internal const string DindReadyScript =
        $"test -f {CertsPath}/ca.pem && chmod 0644 {CertsPath}/key.pem && DOCKER_HOST=tcp://localhost:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH={CertsPath} docker version --format '{{{{.Server.Version}}}}' >/dev/null";

    /// <summary>An own clone Task: no catalog is fetched at run time, and it runs non-root in the runner image.</summary>
    private YamlMap GitCloneTask() => new()
    {
        ["apiVersion"] = "tekton.dev/v1",
        ["kind"] = "Task",
        ["metadata"] = Metadata(TaskName("git-clone"), $"{Name} git clone"),
        ["spec"] = new YamlMap
        {
            ["description"] = "Checks out one revision of a repository into the output workspace (shallow, detached).",
            ["workspaces"] = new List<YamlMap> { new() { ["name"] = "output", ["description"] = "Receives the checkout." } },
            ["params"] = new List<YamlMap>
            {
                Param("url", $"The repository URL; empty: the ConfigMap's {RepositoryUrlKey}, and when that is set no other URL is cloned.", ""),
                Param("revision", "A commit SHA, branch or tag.", _pipeline.Branch),
            },
            ["results"] = new List<YamlMap>
            {
                new() { ["name"] = "commit", ["type"] = "string", ["description"] = "The SHA checked out." },
                new() { ["name"] = "url", ["type"] = "string", ["description"] = "The URL cloned." },
            },
            ["steps"] = new List<YamlMap>
            {
                new()
                {
                    ["name"] = "clone",
                    ["image"] = _pipeline.RunnerImage,
                    ["workingDir"] = "$(workspaces.output.path)",
                    // Params reach the script through the environment, never spliced into it.
                    ["env"] = new List<YamlMap> { Env("URL", "$(params.url)"), Env("REVISION", "$(params.revision)"), ConfiguredUrl() }
                        .Concat(SafeDirectory("$(workspaces.output.path)")).Concat(CloneToken()).ToList(),
                    ["computeResources"] = _pipeline.SmallStepResources.ToYaml(),
                    ["securityContext"] = NonRoot(_pipeline.RunnerUserId),
                    ["script"] = """
                        #!/bin/sh
                        set -eu
                        # A reused workspace may hold an older checkout: start clean.
                        find . -mindepth 1 -maxdepth 1 -exec rm -rf {} +
                        # The one repository these Pipelines build (the ConfigMap's GIT_URL): the manual Pipelines pass no URL,
                        # and a URL other than it is refused, so a PipelineRun cannot build another repository with the secrets.
                        CONFIGURED_URL="${CONFIGURED_URL:-}"
                        bare() { printf '%s' "$1" | sed -E 's#(\.git)?/*$##'; }
                        if [ -z "$URL" ]; then
                          URL="$CONFIGURED_URL"
                        elif [ -n "$CONFIGURED_URL" ] && [ "$(bare "$URL")" != "$(bare "$CONFIGURED_URL")" ]; then
                          echo "Refusing to clone $URL: GIT_URL in the ConfigMap is $CONFIGURED_URL, the only repository these Pipelines build." >&2
                          exit 1
                        fi
                        if [ -z "$URL" ]; then
                          echo "No repository to clone: set GIT_URL in the ConfigMap (Tekton RepositoryUrl in the build's Ci, then ./build.sh Generate)." >&2
                          exit 1
                        fi
                        git init --quiet .
                        git remote add origin "$URL"
                        # A private repository: the Secret's token as a basic-auth header (user x-access-token, as Deploy's
                        # push sends it) through git's environment configuration, so it is on no command line and in no file,
                        # and scoped to the repository's host (http.<url>.extraHeader): a redirect or submodule elsewhere never gets it.
                        if [ -n "${GIT_TOKEN:-}" ]; then
                          case "$URL" in
                            https://*)
                              host=$(printf '%s' "$URL" | sed -E 's#^https://([^/@]*@)?([^/]+).*$#\2#')
                              GIT_CONFIG_COUNT=2
                              GIT_CONFIG_KEY_1="http.https://$host/.extraHeader"
                              GIT_CONFIG_VALUE_1="Authorization: Basic $(printf 'x-access-token:%s' "$GIT_TOKEN" | base64 | tr -d '\n')"
                              export GIT_CONFIG_COUNT GIT_CONFIG_KEY_1 GIT_CONFIG_VALUE_1
                              ;;
                            *) echo "The clone token is sent over https only; $URL is fetched without it." >&2 ;;
                          esac
                        fi
                        git fetch --quiet --depth 1 origin "$REVISION"
                        git checkout --quiet --detach FETCH_HEAD
                        git rev-parse HEAD | tr -d '\n' > "$(results.commit.path)"
                        printf '%s' "$URL" > "$(results.url.path)"

                        """,
                },
            },
        },
    };

    /// <summary>The ConfigMap's repository URL as <c>CONFIGURED_URL</c> for the clone script (optional: unset, any URL is cloned).</summary>
    private YamlMap ConfiguredUrl() => new()
    {
        ["name"] = "CONFIGURED_URL",
        ["valueFrom"] = new YamlMap
        {
            ["configMapKeyRef"] = new YamlMap { ["name"] = ConfigMapName, ["key"] = RepositoryUrlKey, ["optional"] = true },
        },
    };

    /// <summary>
    /// The clone's credential: the build's <see cref="TektonPipeline.CloneTokenParameter"/> from the Secret every target
    /// reads it from (optional, so a public repository needs none), as <c>GIT_TOKEN</c> for the script.
    /// </summary>
    private IEnumerable<YamlMap> CloneToken()
    {
        if (_pipeline.CloneTokenParameter is not { } member) yield break;
        var parameter = _build.Parameters.SingleOrDefault(p => p.MemberName == member && p.IsSecret)
            ?? throw new PipelineException($"Tekton's CloneTokenParameter names {member}, which is not a [Secret] parameter of this build: name the secret parameter the manifests push uses (GitToken) or set it to null.");
        yield return new YamlMap
        {
            ["name"] = "GIT_TOKEN",
            ["valueFrom"] = new YamlMap
            {
                ["secretKeyRef"] = new YamlMap { ["name"] = SecretsName, ["key"] = parameter.EnvironmentName, ["optional"] = true },
            },
        };
    }

    /// <summary>The finally Task: the PipelineRun's outcome as a GitHub commit status (REST statuses API) when a token is given.</summary>
    private YamlMap ReportStatusTask() => new()
    {
        ["apiVersion"] = "tekton.dev/v1",
        ["kind"] = "Task",
        ["metadata"] = Metadata(TaskName(StatusTask), $"{Name} report status"),
        ["spec"] = new YamlMap
        {
            ["description"] = $"Posts the pipeline's outcome as a commit status on GitHub; does nothing without the {GitHubTokenSecretName} Secret or a repository.",
            ["params"] = new List<YamlMap>
            {
                Param("state", "$(tasks.status) of the PipelineRun: Succeeded, Completed, Failed or None.", null),
                Param("repository", "owner/name on GitHub; empty: nothing is posted.", ""),
                Param("revision", "The commit SHA the status is for.", null),
                Param("pipeline-run", "The PipelineRun's name, shown in the status description.", null),
                Param("context", "The status context.", $"tekton/{Name}"),
                Param("github-api-url", "GitHub's REST API root (GitHub Enterprise: https://host/api/v3); empty: https://api.github.com.", "https://api.github.com"),
                Param("curl-image", CurlImageDescription, _pipeline.StatusImage),
            },
            ["steps"] = new List<YamlMap>
            {
                new()
                {
                    ["name"] = "report",
                    ["image"] = "$(params.curl-image)",
                    ["computeResources"] = _pipeline.SmallStepResources.ToYaml(),
                    ["env"] = new List<YamlMap>
                    {
                        Env("STATE", "$(params.state)"),
                        Env("REPOSITORY", "$(params.repository)"),
                        Env("REVISION", "$(params.revision)"),
                        Env("PIPELINE_RUN", "$(params.pipeline-run)"),
                        Env("CONTEXT", "$(params.context)"),
                        Env("GITHUB_API_URL", "$(params.github-api-url)"),
                        new()
                        {
                            ["name"] = "GITHUB_TOKEN",
                            ["valueFrom"] = new YamlMap
                            {
                                ["secretKeyRef"] = new YamlMap { ["name"] = GitHubTokenSecretName, ["key"] = "token", ["optional"] = true },
                            },
                        },
                    },
                    // The runner's user; any non-root user works for another image given in curl-image: the script writes only /tmp.
                    ["securityContext"] = NonRoot(_pipeline.RunnerUserId),
                    ["script"] = """
                        #!/bin/sh
                        set -eu
                        case "$STATE" in
                          Succeeded|Completed) state=success ;;
                          Failed) state=failure ;;
                          *) state=error ;;
                        esac
                        if [ -z "${GITHUB_TOKEN:-}" ] || [ -z "$REPOSITORY" ]; then
                          echo "The pipeline ended: $STATE. No GitHub token or repository given, so no commit status is posted."
                          exit 0
                        fi
                        if ! printf '%s' "$REVISION" | grep -Eq '^[0-9a-f]{40}$'; then
                          echo "The pipeline ended: $STATE. git-revision '$REVISION' is not a commit SHA, so no commit status is posted."
                          exit 0
                        fi
                        # The token goes to curl through a header file, never on its command line.
                        headers=/tmp/github-headers
                        trap 'rm -f "$headers"' EXIT
                        printf 'Authorization: Bearer %s\n' "$GITHUB_TOKEN" > "$headers"
                        printf '{"state":"%s","context":"%s","description":"PipelineRun %s: %s"}' "$state" "$CONTEXT" "$PIPELINE_RUN" "$STATE" |
                          curl --fail --silent --show-error --request POST \
                          --header @"$headers" \
                          --header "Accept: application/vnd.github+json" \
                          --header "X-GitHub-Api-Version: 2022-11-28" \
                          --data @- \
                          "${GITHUB_API_URL:-https://api.github.com}/repos/$REPOSITORY/statuses/$REVISION" > /dev/null
                        echo "Posted commit status $state for $REVISION on $REPOSITORY."

                        """,
                },
            },
        },
    };

    private static YamlMap NonRoot(int user) => new()
    {
        ["runAsNonRoot"] = true,
        ["runAsUser"] = user,
        ["allowPrivilegeEscalation"] = false,
        ["capabilities"] = new YamlMap { ["drop"] = new[] { "ALL" } },
    };

    private static YamlMap Env(string name, string value) => new() { ["name"] = name, ["value"] = value };
}
