namespace Pipelines.Generators;

/// <summary>
/// The Tekton side: one Task per target in the closure of <see cref="Targets"/>, a Pipeline chaining
/// them by their dependencies after an own git-clone Task, a finally Task that reports the commit status,
/// a ConfigMap every Task reads, Triggers for GitHub pushes, RBAC and a kustomization.
/// </summary>
public sealed record TektonPipeline
{
    /// <summary>The targets the Pipeline ends with; their dependencies come along.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>
    /// Targets run by hand, each in a Pipeline of its own, <c>&lt;name&gt;-&lt;target&gt;</c> (clone, then the target's Task), with
    /// a TriggerTemplate of its PipelineRun and a Role to start it: <c>./build.sh TektonRun --pipeline promote --from staging
    /// --environment prod</c>. Each must depend on no other target (Promote and Rollback read the manifests repository).
    /// </summary>
    public IReadOnlyList<string> ManualTargets { get; init; } = [];

    /// <summary>
    /// Parameters (member names) a manual PipelineRun sets, as params of its TriggerTemplate and from TektonRun's own
    /// options (<c>--from</c>, <c>--environment</c>); every one must have a value when the run starts.
    /// </summary>
    public IReadOnlyList<string> ManualParameters { get; init; } = [];

    /// <summary>The namespace every namespaced resource is created in.</summary>
    public string Namespace { get; init; } = "pipelines";

    /// <summary>Pushes to this branch start a PipelineRun.</summary>
    public string Branch { get; init; } = "main";

    /// <summary>
    /// The image every runner step runs in, pinned by digest (<c>repository@sha256:…</c>): what
    /// <c>./build.sh RunnerImage</c> prints after building <c>tekton/runner/Dockerfile</c> and pushing it.
    /// A tag-only reference is written as is on a developer machine (with a warning) and refused on CI.
    /// </summary>
    public string RunnerImage { get; init; } = "";

    /// <summary>The user the runner image declares; steps run as this user (never root).</summary>
    public int RunnerUserId { get; init; } = 1654;

    /// <summary>Targets that need a Docker engine: their Task gets a Docker-in-Docker sidecar.</summary>
    public IReadOnlyList<string> DockerTargets { get; init; } = [];

    /// <summary>The Docker-in-Docker sidecar image (a Task param's default; point it at a mirror such as ACR EE), pinned by digest.</summary>
    public string DindImage { get; init; } = "docker.io/library/docker:27.5.1-dind@sha256:aa3df78ecf320f5fafdce71c659f1629e96e9de0968305fe1de670e0ca9176ce";

    /// <summary>
    /// The image of the finally Task that posts the commit status (it needs sh and curl; a param's default), pinned by
    /// digest; null: the runner image, so a cluster that cannot reach Docker Hub (ACK in mainland China) mirrors one image.
    /// </summary>
    public string? CurlImage { get; init; }

    /// <summary>The image the status Task runs: <see cref="CurlImage"/>, else the runner image.</summary>
    internal string StatusImage => CurlImage ?? RunnerImage;

    /// <summary>Trivy in the runner image.</summary>
    public string TrivyVersion { get; init; } = "0.74.0";

    /// <summary>SHA-256 of <c>trivy_&lt;version&gt;_Linux-64bit.tar.gz</c>: the runner image refuses any other archive.</summary>
    public string TrivySha256 { get; init; } = "2ae6fe3ee734b7fdf11335663e18c75ea12dccc76062f09f164a3b0f8be4371a";

    /// <summary>kubectl in the runner image (the tests render manifests with <c>kubectl kustomize</c>).</summary>
    public string KubectlVersion { get; init; } = "1.33.4";

    /// <summary>The image Node.js (≥ 20, for the npm validators) is copied from into the runner image.</summary>
    public string NodeImage { get; init; } = "docker.io/library/node:22-bookworm-slim";

    /// <summary>
    /// The image the runner's <c>docker</c> CLI is copied from (its static <c>/usr/local/bin/docker</c>): the release of
    /// <see cref="DindImage"/>, so the client the tests and steps run speaks the sidecar's API, with no Debian
    /// engine packages (containerd, runc) in the runner. Pinned by digest (the tag's multi-platform index) so a
    /// re-pushed tag cannot change the binary the runner ships; the build fails if the registry serves another.
    /// </summary>
    public string DockerCliImage { get; init; } = "docker.io/library/docker:27.5.1-cli@sha256:851f91d241214e7c6db86513b270d58776379aacc5eb9c4a87e5b47115e3065c";

    /// <summary>
    /// The <c>[Secret]</c> parameter (member name) whose key in the Secret <c>&lt;name&gt;-secrets</c> the clone Task
    /// authenticates with over https, so a private application repository clones with the token the manifests push
    /// already has; null: the clone is anonymous.
    /// </summary>
    public string? CloneTokenParameter { get; init; }

    /// <summary>
    /// The application repository the Pipelines clone, written to the ConfigMap as <c>GIT_URL</c> (set it there or here).
    /// The manual Pipelines take no URL from their caller and clone this one; the main Pipeline refuses a webhook's URL
    /// that differs. Empty: the manual Pipelines stop at the clone, naming the key.
    /// </summary>
    public string RepositoryUrl { get; init; } = "";

    /// <summary>Extra Debian packages in the runner image (what the Test task needs besides the SDK, git and Trivy).</summary>
    public IReadOnlyList<string> RunnerPackages { get; init; } = [];

    /// <summary>npm packages installed globally in the runner image, pinned as name@version.</summary>
    public IReadOnlyList<string> RunnerNpmTools { get; init; } = [];

    /// <summary>
    /// The ConfigMap <c>&lt;name&gt;-config</c> every Task reads its settings from (keys: the parameters'
    /// environment names), by parameter member name: registry, manifests repository and branch, public key,
    /// environments, Trivy DB mirrors. An empty value is the build's default; on CI a missing registry or
    /// manifests repository fails the run before any target, naming the key.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The StorageClass of the workspace volume; null: the cluster's default (ACK has none unless set).</summary>
    public string? StorageClass { get; init; }

    /// <summary>Size of the workspace volume each PipelineRun claims (cloud disks start at 20 GiB).</summary>
    public string WorkspaceSize { get; init; } = "20Gi";

    /// <summary>Parameters (member names) the Tasks neither take as params nor set: ones for a developer's machine only.</summary>
    public IReadOnlyList<string> ExcludedParameters { get; init; } = [];

    /// <summary>Volumes kept between runs, mounted into the Tasks of the targets that use them (e.g. Trivy's DB).</summary>
    public IReadOnlyList<TektonCache> Caches { get; init; } = [];

    /// <summary>Requests and limits of every runner step.</summary>
    public TektonResources StepResources { get; init; } = new("500m", "1Gi", "4Gi");

    /// <summary>Requests and limits of the Docker-in-Docker sidecar.</summary>
    public TektonResources SidecarResources { get; init; } = new("500m", "1Gi", "4Gi");

    /// <summary>Requests and limits of the small steps (clone, commit status).</summary>
    public TektonResources SmallStepResources { get; init; } = new("100m", "128Mi", "512Mi");

    /// <summary>Catalog label <c>app.kubernetes.io/version</c>.</summary>
    public string Version { get; init; } = "0.1";

    /// <summary>
    /// Object/array params and v1 need at least this (<c>tekton.dev/pipelines.minVersion</c>); from it on,
    /// <c>coschedule: pipelineruns</c> exists, with <c>disable-affinity-assistant: "true"</c> before v1.0.0 (the setup
    /// guide's per-release table, which a test keeps in step with this value).
    /// </summary>
    public string MinPipelinesVersion { get; init; } = "0.56.0";

    /// <summary>The Tekton Hub categories (<c>tekton.dev/categories</c>) the Pipeline is listed under.</summary>
    public string Categories { get; init; } = "Build Tools, Security";

    /// <summary>The Tekton Hub tags (<c>tekton.dev/tags</c>) the Pipeline is found by.</summary>
    public string Tags { get; init; } = "build, containers, gitops";

    /// <summary>How long a PipelineRun may take, finally included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The part of <see cref="Timeout"/> kept for the finally Task, so a timed-out run still reports its status.</summary>
    public TimeSpan FinallyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>True when <paramref name="image"/> is pinned by digest: <c>…@sha256:</c> and 64 hex digits.</summary>
    internal static bool IsPinned(string image) =>
        System.Text.RegularExpressions.Regex.IsMatch(image, "^[^@\\s]+@sha256:[0-9a-f]{64}$");
}
