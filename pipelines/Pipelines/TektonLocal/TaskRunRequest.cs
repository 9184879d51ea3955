namespace Pipelines.TektonLocal;

/// <summary>One TaskRun to run: the Task's spec with its variables already substituted, and where its workspaces live.</summary>
internal sealed record TaskRunRequest(
    string PipelineTask, string TaskRunName, string TaskName, object? Spec,
    IReadOnlyDictionary<string, WorkspaceMount> Workspaces, TimeSpan? Timeout, bool IsFinally)
{
    /// <summary>Why a cancellation happened (the PipelineRun timed out, or was cancelled), or null: not cancelled by the run.</summary>
    public Func<string?>? Cancelled { get; init; }

    /// <summary>The pod template of this TaskRun (its taskRunSpecs entry's over the run's).</summary>
    public PodTemplate Pod { get; init; } = PodTemplate.None;

    /// <summary>The TaskRun's labels and annotations (taskRunSpecs metadata), which its pod carries.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

/// <summary>A Task workspace bound to a Docker volume, at its mount path.</summary>
internal sealed record WorkspaceMount(string Volume, string MountPath, bool ReadOnly)
{
    /// <summary>The workspace's name (a step or sidecar that lists it under <c>workspaces</c> isolates it).</summary>
    public string Name { get; init; } = "";
}

/// <summary>The pod's volumes: /tekton, emptyDirs by name, workspaces by name, and whether Docker is served by the local engine.</summary>
internal sealed record PodLayout(string Tekton, IReadOnlyDictionary<string, string> EmptyDirs, IReadOnlyDictionary<string, WorkspaceMount> Workspaces, bool Dind)
{
    /// <summary>The implicit <c>/workspace</c> emptyDir every step of the Task shares, or null.</summary>
    public string? ImplicitWorkspace { get; init; }

    /// <summary>/tekton/steps as its own volume, mounted read-only in steps so no step rewrites another's exitCode (pod.go mounts it RO).</summary>
    public string? Steps { get; init; }

    /// <summary>
    /// One emptyDir per step at <c>/tekton/run/&lt;index&gt;</c>, in step order: every step mounts them all, only its own
    /// writable (pod.go: tekton-internal-run-&lt;i&gt;, read-only in the other steps), so no step forges another's state.
    /// </summary>
    public IReadOnlyList<string> RunDirs { get; init; } = [];

    /// <summary>The running step's own results folder, writable over the read-only /tekton/steps, or null: it declares no results.</summary>
    public (string Volume, string Path)? OwnStepResults { get; init; }

    /// <summary>The running step's index (its writable /tekton/run/&lt;index&gt;), or null for a sidecar.</summary>
    public int? StepIndex { get; init; }

    /// <summary>Task volumes Kubernetes mounts read-only whatever the volumeMount says (configMap, secret).</summary>
    public IReadOnlySet<string> ReadOnlyVolumes { get; init; } = new HashSet<string>();
}

/// <summary>An image a step needs is neither here nor pullable.</summary>
internal sealed class ImageUnavailableException(string message) : Exception(message);

/// <summary>The pod cannot be created as specified (Kubernetes' CreateContainerConfigError).</summary>
internal sealed class ContainerConfigException(string message) : Exception(message);
