namespace Pipelines.Kubernetes;

/// <param name="Namespace">Where the Pipeline is installed and the PipelineRun is created.</param>
/// <param name="Pipeline">The name of the generated Pipeline.</param>
/// <param name="Parameters">The PipelineRun's params (e.g. the repository URL and the revision to build).</param>
internal sealed record TektonRunOptions(string Namespace, string Pipeline, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The PipelineRun's name prefix; Kubernetes adds a random suffix.</summary>
    public string GenerateName { get; init; } = "";
    /// <summary>The service account the PipelineRun runs as; null: the namespace's default.</summary>
    public string? ServiceAccount { get; init; }
    /// <summary>The workspace every Task shares, backed by a fresh volume claim of this size.</summary>
    public string SourceWorkspace { get; init; } = "source";
    /// <summary>The size of the fresh volume claim behind the shared workspace.</summary>
    public string WorkspaceSize { get; init; } = "1Gi";
    /// <summary>The StorageClass of the workspace's claim; null: the cluster's default.</summary>
    public string? StorageClass { get; init; }
    /// <summary>The group every pod's volumes belong to (the runner's non-root user must write the fresh, root-owned disk).</summary>
    public long? FsGroup { get; init; }
    /// <summary>Claims kept between runs, by workspace name (the caches the TriggerTemplate binds too).</summary>
    public IReadOnlyDictionary<string, string> Caches { get; init; } = new Dictionary<string, string>();
    /// <summary>How long the PipelineRun may take before the runner gives up on it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);
    /// <summary>How often the PipelineRun's status is read.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Stream each step's log as it finishes, so failures can be read here.</summary>
    public bool StepLogs { get; init; } = true;
}
