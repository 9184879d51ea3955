namespace Pipelines.Generators;

internal sealed partial class TektonGenerator
{
    /// <summary>The docker-registry Secret the runner ServiceAccount pulls the runner image with (and Tekton Chains pushes signatures with).</summary>
    public string RegistrySecretName => TaskName("registry");

    /// <summary>
    /// The settings every Task reads (<c>envFrom</c>), kept as ACK users keep configuration: a ConfigMap in the
    /// namespace. Keys are the parameters' environment names; an empty value is the build's default, except that
    /// on CI a missing registry or manifests repository stops the run before any target, naming the key.
    /// </summary>
    /// <summary>The ConfigMap key of the one repository the Pipelines build (<see cref="TektonPipeline.RepositoryUrl"/>).</summary>
    internal const string RepositoryUrlKey = "GIT_URL";

    private YamlMap ConfigMapDocument()
    {
        var data = new YamlMap();
        foreach (var parameter in _build.Parameters.Where(p => _pipeline.Settings.ContainsKey(p.MemberName)).OrderBy(p => p.EnvironmentName, StringComparer.Ordinal))
            data[parameter.EnvironmentName] = _pipeline.Settings[parameter.MemberName];
        // Not a parameter: the clone Task reads it (configMapKeyRef), the build never does.
        data[RepositoryUrlKey] = _pipeline.RepositoryUrl;
        return new YamlMap
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new YamlMap
            {
                ["name"] = ConfigMapName,
                ["namespace"] = _pipeline.Namespace,
                ["labels"] = new YamlMap { ["app.kubernetes.io/part-of"] = Name },
                ["annotations"] = new YamlMap
                {
                    // Where the rest of the configuration lives: the Secrets are created by hand, never committed.
                    [$"{Name}.pipelines/secrets"] = $"{SecretsName} (keys: {string.Join(", ", _build.Parameters.Where(p => p.IsSecret).Select(p => p.EnvironmentName))}), {RegistrySecretName} (docker-registry), {WebhookSecretName} (secretToken), {GitHubTokenSecretName} (token)",
                    [$"{Name}.pipelines/workspace"] = $"{_pipeline.StorageClass ?? "cluster default StorageClass"}, {_pipeline.WorkspaceSize}",
                },
            },
            ["data"] = data.Count == 0 ? null : data,
        };
    }

    /// <summary>The claims behind <see cref="TektonPipeline.Caches"/>: created once, reused by every run.</summary>
    private YamlMap[] CacheClaims() => _pipeline.Caches.Select(cache => new YamlMap
    {
        ["apiVersion"] = "v1",
        ["kind"] = "PersistentVolumeClaim",
        ["metadata"] = new YamlMap { ["name"] = TaskName(cache.Name), ["namespace"] = _pipeline.Namespace },
        ["spec"] = ClaimSpec(cache.Size),
    }).ToArray();

    private YamlMap ClaimSpec(string size) => new()
    {
        ["accessModes"] = new[] { "ReadWriteOnce" },
        ["storageClassName"] = _pipeline.StorageClass,
        ["resources"] = new YamlMap { ["requests"] = new YamlMap { ["storage"] = size } },
    };

    /// <summary>A Go duration as Tekton writes it: <c>1h0m0s</c>.</summary>
    private static string Duration(TimeSpan value) =>
        value.TotalHours >= 1 ? $"{(int)value.TotalHours}h{value.Minutes}m{value.Seconds}s"
        : value.TotalMinutes >= 1 ? $"{value.Minutes}m{value.Seconds}s"
        : $"{value.Seconds}s";
}
