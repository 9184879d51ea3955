namespace Pipelines.Registry;

/// <summary>
/// How to run a local distribution registry: where it stores blobs, where it listens, and how it
/// authenticates. Defaults give the toolkit's laptop registry: 127.0.0.1:5000, no auth, deletes enabled.
/// </summary>
internal sealed record LocalRegistryOptions
{
    /// <summary>The directory that holds the registry's blobs and manifests (created when missing).</summary>
    public required string StorageDirectory { get; init; }

    /// <summary>The loopback address to bind. Never 0.0.0.0: a laptop registry must not be reachable from the network.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>The port to listen on.</summary>
    public int Port { get; init; } = 5000;

    /// <summary>The registry binary; null: <c>docker-registry</c> (Debian) or <c>registry</c> on PATH.</summary>
    public string? Executable { get; init; }

    /// <summary>Where to write the registry's YAML configuration; null: <c>config.yml</c> beside the storage directory's content.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>An htpasswd file (bcrypt entries) to require Basic auth; null for none.</summary>
    public string? HtpasswdPath { get; init; }

    /// <summary>The realm the registry names in its Basic challenge.</summary>
    public string HtpasswdRealm { get; init; } = "local-registry";

    /// <summary>Bearer-token auth settings; null for none. Exclusive with <see cref="HtpasswdPath"/>.</summary>
    public LocalRegistryTokenAuth? TokenAuth { get; init; }

    /// <summary>How long to wait for <c>GET /v2/</c> to answer after starting.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
