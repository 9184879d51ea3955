namespace Pipelines.Registry;

/// <summary>How a <see cref="RegistryClient"/> reaches registries and how patient it is.</summary>
internal sealed record RegistryClientOptions
{
    /// <summary>
    /// Registries (<c>host</c> or <c>host:port</c>) spoken to over plain HTTP. Loopback hosts
    /// (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>) always are; every other host gets TLS.
    /// </summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Retries after the first attempt of a call that is safe to repeat (and restarts of a broken blob upload).</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>The first retry delay; later ones double, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two attempts (also caps a registry's <c>Retry-After</c>).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one HTTP exchange may take (large layers need minutes).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Blob size above which uploads go in chunks (<c>PATCH</c>), and the chunk size.</summary>
    public int ChunkSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>The <c>User-Agent</c> sent with every request.</summary>
    public string UserAgent { get; init; } = "pipelines-registry-client/1.0";
}
