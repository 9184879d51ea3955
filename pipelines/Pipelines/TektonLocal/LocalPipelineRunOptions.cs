namespace Pipelines.TektonLocal;

/// <summary>What a local PipelineRun runs and with which inputs.</summary>
/// <param name="TektonFolder">The kustomization folder to render (tekton/).</param>
/// <param name="Params">The PipelineRun's params: what the TriggerTemplate passes plus the local defaults.</param>
internal sealed record LocalPipelineRunOptions(string TektonFolder, IReadOnlyDictionary<string, string> Params)
{
    /// <summary>A PipelineRun or TaskRun file to run instead of this build's Pipeline; null: the Pipeline in <see cref="TektonFolder"/>.</summary>
    public string? RunFile { get; init; }
    /// <summary>Where the run file's Tasks, Pipelines, ConfigMaps and Secrets are when not in the file (kustomized when it has a kustomization).</summary>
    public string? ResourcesFolder { get; init; }
    /// <summary>The Pipeline to run; null: the only one rendered.</summary>
    public string? PipelineName { get; init; }
    /// <summary>Pipeline params given by the user (--tekton-params); each must be declared by the Pipeline.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();
    /// <summary>ConfigMap keys set for this run (--tekton-settings; the local registry, manifests repository and key by default); each must be a key of a rendered ConfigMap.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    /// <summary>The runner image's Dockerfile (tekton/runner/Dockerfile); null: tekton/runner/Dockerfile under the folder.</summary>
    public string? RunnerDockerfile { get; init; }
    /// <summary>
    /// Where the host's pinned npm validators are (an npm prefix), asked only when the runner is assembled from the host
    /// (<see cref="RunnerImage.WithValidators"/>); null, or a null answer: none to add.
    /// </summary>
    public Func<CancellationToken, Task<string?>>? RunnerValidators { get; init; }
    /// <summary>Images to run instead of others (e.g. one that cannot be pulled here); the value <see cref="RunnerChoice.HostTools"/> means the runner image.</summary>
    public IReadOnlyDictionary<string, string> ImageSubstitutes { get; init; } = new Dictionary<string, string>();
    /// <summary>A file of secret values, one <c>KEY=value</c> or <c>secret-name/KEY=value</c> a line; null: the environment only.</summary>
    public string? SecretsFile { get; init; }
    /// <summary>Where secret keys are looked up when the secrets file lacks them (the process environment by default).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
    /// <summary>The whole run's timeout; null: the PipelineRun template's <c>timeouts.pipeline</c>, else one hour.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>Host folders copied read-only into every step at the same path (a stand-in tool), once per run.</summary>
    public IReadOnlyList<string> HostPaths { get; init; } = [];
    /// <summary>Host folders copied read-only into every step at another path: the path in the step → the host folder.</summary>
    public IReadOnlyDictionary<string, string> HostFolders { get; init; } = new Dictionary<string, string>();
    /// <summary>Pods use the host's network, so 127.0.0.1 is the host's (the local registry) as with ./build.sh Deploy.</summary>
    public bool HostNetwork { get; init; } = true;
}
