namespace Pipelines.Generators;

/// <summary>
/// The Tekton side: one Task per target in the closure of <see cref="Targets"/>, a Pipeline chaining
/// them by their dependencies after an own git-clone Task, a finally Task that reports the commit status,
/// Triggers for GitHub pushes, RBAC and a kustomization.
/// </summary>
public sealed record TektonPipeline
{
    /// <summary>The targets the Pipeline ends with; their dependencies come along.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>The namespace every namespaced resource is created in.</summary>
    public string Namespace { get; init; } = "pipelines";

    /// <summary>Pushes to this branch start a PipelineRun.</summary>
    public string Branch { get; init; } = "main";

    /// <summary>The image every target step runs in; built from <c>tekton/runner/Dockerfile</c>.</summary>
    public string RunnerImage { get; init; } = "ghcr.io/example/pipeline-runner:0.1.0";

    /// <summary>The user the runner image declares; steps run as this user (never root).</summary>
    public int RunnerUserId { get; init; } = 1654;

    /// <summary>Targets that need a Docker engine: their Task gets a <c>docker:dind</c> sidecar.</summary>
    public IReadOnlyList<string> DockerTargets { get; init; } = [];

    /// <summary>The Docker-in-Docker sidecar image for targets that need a Docker engine.</summary>
    public string DindImage { get; init; } = "docker:27.5.1-dind";

    /// <summary>The image of the finally Task that posts the commit status.</summary>
    public string CurlImage { get; init; } = "curlimages/curl:8.11.1";

    /// <summary>Trivy in the runner image.</summary>
    public string TrivyVersion { get; init; } = "0.74.0";

    /// <summary>Extra Debian packages in the runner image (what the Test task needs besides the SDK, git and Trivy).</summary>
    public IReadOnlyList<string> RunnerPackages { get; init; } = [];

    /// <summary>npm packages installed globally in the runner image, pinned as name@version.</summary>
    public IReadOnlyList<string> RunnerNpmTools { get; init; } = [];

    /// <summary>Catalog label <c>app.kubernetes.io/version</c>.</summary>
    public string Version { get; init; } = "0.1";

    /// <summary>Object/array params and v1 need at least this (<c>tekton.dev/pipelines.minVersion</c>).</summary>
    public string MinPipelinesVersion { get; init; } = "0.56.0";

    /// <summary>The Tekton Hub categories (<c>tekton.dev/categories</c>) the Pipeline is listed under.</summary>
    public string Categories { get; init; } = "Build Tools, Security";

    /// <summary>The Tekton Hub tags (<c>tekton.dev/tags</c>) the Pipeline is found by.</summary>
    public string Tags { get; init; } = "build, containers, gitops";

    /// <summary>Size of the workspace volume each PipelineRun claims.</summary>
    public string WorkspaceSize { get; init; } = "2Gi";

    /// <summary>How long a PipelineRun may take.</summary>
    public string Timeout { get; init; } = "1h0m0s";
}
