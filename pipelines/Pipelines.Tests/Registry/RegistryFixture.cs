using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Processes;
using Pipelines.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

/// <summary>
/// A real distribution registry on a free loopback port with storage in a temporary directory, shared by
/// the tests of one class (<c>IClassFixture&lt;RegistryFixture&gt;</c>). Tests that need their own registry
/// (auth variants) call <see cref="StartRegistryAsync"/>.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private readonly TempDirectory _storage = new("registry");
    private LocalRegistry? _registry;

    /// <summary>The registry's log, for diagnosing failures.</summary>
    internal MemoryLog Log { get; } = new();

    /// <summary>The running registry.</summary>
    internal LocalRegistry Registry => _registry ?? throw new InvalidOperationException("The registry fixture has not started.");

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Address => Registry.Address;

    /// <summary>A reference to <paramref name="repository"/> on this registry, e.g. <c>127.0.0.1:port/app:tag</c>.</summary>
    internal ImageReference Reference(string repository, string? tag = null) => ImageReference.Create(Address, repository, tag);

    public async Task InitializeAsync() => _registry = await StartRegistryAsync(_storage.Path, log: Log);

    public async Task DisposeAsync()
    {
        if (_registry is not null) await _registry.DisposeAsync();
        _storage.Dispose();
    }

    /// <summary>
    /// Starts a registry on a free loopback port, storing under <paramref name="storageDirectory"/>. The port is
    /// picked by the OS and released before the registry binds it, so a start that loses that race is retried.
    /// </summary>
    internal static async Task<LocalRegistry> StartRegistryAsync(
        string storageDirectory, Func<LocalRegistryOptions, LocalRegistryOptions>? configure = null, ILog? log = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var options = new LocalRegistryOptions { StorageDirectory = storageDirectory, Port = LocalRegistry.FindFreePort() };
            if (configure is not null) options = configure(options);
            try
            {
                return await LocalRegistry.StartAsync(options, log);
            }
            catch (PipelineException e) when (attempt < 3 && e.Message.Contains("address already in use"))
            {
            }
        }
    }

    /// <summary>Writes an htpasswd file with one bcrypt user; the password goes to htpasswd on stdin, never on its command line.</summary>
    public static async Task CreateHtpasswdAsync(string path, string username, string password)
    {
        var result = await new Command("htpasswd")
            .WithArguments("-B", "-i", "-n", username)
            .WithStandardInput(password)
            .WithOutput(OutputMode.Quiet)
            .WithMissingHint("install apache2-utils")
            .ExecuteAsync();
        result.EnsureSuccess("htpasswd");
        await File.AppendAllTextAsync(path, result.StandardOutput.Trim() + "\n");
    }
}
