using System.Text;
using System.Text.Json;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Processes;

namespace Pipelines.Registry;

/// <summary>
/// Finds registry credentials the way the docker CLI does: explicit ones (from parameters) first, else
/// Docker's <c>config.json</c>: a <c>credHelpers</c> entry for the host, then an <c>auths</c> entry
/// (<c>auth</c> base64 "user:password", or username/password, or <c>identitytoken</c>), then <c>credsStore</c>.
/// Helpers run as <c>docker-credential-&lt;name&gt; get</c> with the server URL on stdin.
/// </summary>
internal sealed class DockerCredentials
{
    private readonly string _configPath;
    private readonly RegistryCredential? _explicit;
    private readonly ILog _log;
    private readonly SecretMasker? _masker;

    /// <param name="configPath">Docker's config file; null: <c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>.</param>
    /// <param name="explicitCredential">Credentials from parameters; used for every registry when given.</param>
    /// <param name="log">Where to say which source was used (never the secret).</param>
    /// <param name="masker">Receives every secret found so that no log line shows it.</param>
    public DockerCredentials(string? configPath = null, RegistryCredential? explicitCredential = null, ILog? log = null, SecretMasker? masker = null)
    {
        _configPath = configPath ?? DefaultConfigPath();
        _explicit = explicitCredential;
        _log = log ?? new MemoryLog();
        _masker = masker;
        if (explicitCredential is not null) Mask(explicitCredential);
    }

    /// <summary>Credentials from <c>--registry-username</c>/<c>--registry-password</c>, or null when no username was given.</summary>
    public static RegistryCredential? FromParameters(string? username, string? password)
    {
        if (string.IsNullOrEmpty(username)) return null;
        if (string.IsNullOrEmpty(password))
            throw new PipelineException($"--registry-username '{username}' was given without --registry-password: pass the password (or token) through the PIPELINE_REGISTRY_PASSWORD environment variable.");
        return RegistryCredential.Basic(username, password, $"username '{username}' from --registry-username");
    }

    /// <summary>The config file consulted.</summary>
    public string ConfigPath => _configPath;

    /// <summary><c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>.</summary>
    public static string DefaultConfigPath() =>
        Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } dir
            ? Path.Combine(dir, "config.json")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "config.json");

    /// <summary>The credentials for <paramref name="registry"/> (<c>host[:port]</c> as in an <see cref="ImageReference"/>).</summary>
    public async Task<RegistryCredential> FindAsync(string registry, CancellationToken cancellationToken = default)
    {
        if (_explicit is not null) return _explicit;
        var shownPath = ShowPath(_configPath);
        if (!File.Exists(_configPath))
            return RegistryCredential.Anonymous($"anonymous (no --registry-username and no {shownPath})");

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(_configPath, cancellationToken));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new PipelineException($"Docker config {shownPath} is not valid JSON ({e.Message}): fix or remove it, or pass --registry-username.");
        }

        var keys = LookupKeys(registry);
        if (FindEntry(root, "credHelpers", keys) is { ValueKind: JsonValueKind.String } helper)
            return await RunHelperAsync(helper.GetString()!, registry, $"credHelpers entry for {registry} in {shownPath}", cancellationToken);

        if (FindEntry(root, "auths", keys) is { ValueKind: JsonValueKind.Object } auth)
        {
            var credential = ReadAuthsEntry(auth, registry, shownPath);
            if (credential is not null) return Mask(credential);
        }

        if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
            return await RunHelperAsync(storeName, registry, $"credsStore in {shownPath}", cancellationToken);

        return RegistryCredential.Anonymous($"anonymous (no --registry-username and no entry for {registry} in {shownPath})");
    }

    private RegistryCredential? ReadAuthsEntry(JsonElement auth, string registry, string shownPath)
    {
        var source = $"{shownPath} auths entry for {registry}";
        if (auth.TryGetProperty("identitytoken", out var token) && token.GetString() is { Length: > 0 } identityToken)
            return RegistryCredential.Token(identityToken, source + " (identity token)");
        if (auth.TryGetProperty("auth", out var encoded) && encoded.GetString() is { Length: > 0 } base64)
        {
            string decoded;
            try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(base64)); }
            catch (FormatException) { throw new PipelineException($"The {source} has an 'auth' value that is not base64 of 'user:password': run `docker login {registry}` again."); }
            var colon = decoded.IndexOf(':');
            if (colon <= 0) throw new PipelineException($"The {source} has an 'auth' value without 'user:password': run `docker login {registry}` again.");
            var username = decoded[..colon];
            return RegistryCredential.Basic(username, decoded[(colon + 1)..], $"username '{username}' from the {source}");
        }
        if (auth.TryGetProperty("username", out var user) && user.GetString() is { Length: > 0 } name
            && auth.TryGetProperty("password", out var pass) && pass.GetString() is { } password)
            return RegistryCredential.Basic(name, password, $"username '{name}' from the {source}");
        return null;
    }

    private async Task<RegistryCredential> RunHelperAsync(string helper, string registry, string where, CancellationToken cancellationToken)
    {
        var executable = "docker-credential-" + helper;
        var serverUrl = registry == ImageReference.DockerHub ? "https://index.docker.io/v1/" : registry;
        // The helper prints the secret on stdout: no log is passed so that nothing of it reaches a log line.
        var result = await new Command(executable)
            .WithArguments("get")
            .WithStandardInput(serverUrl)
            .WithOutput(OutputMode.Quiet)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithMissingHint($"the {where} names this helper; install it or remove the entry.")
            .ExecuteAsync(null, cancellationToken);
        if (!result.Succeeded)
        {
            if (result.StandardOutput.Contains("credentials not found", StringComparison.OrdinalIgnoreCase))
                return RegistryCredential.Anonymous($"anonymous ({executable} from the {where} has no credentials for {serverUrl})");
            throw new PipelineException($"{executable} (from the {where}) failed with exit code {result.ExitCode}: {FirstLine(result.StandardError)}");
        }

        HelperAnswer answer;
        try { answer = JsonSerializer.Deserialize<HelperAnswer>(result.StandardOutput) ?? new HelperAnswer(); }
        catch (JsonException) { throw new PipelineException($"{executable} (from the {where}) printed something that is not its JSON answer {{\"Username\",\"Secret\"}}."); }
        if (string.IsNullOrEmpty(answer.Secret))
            return RegistryCredential.Anonymous($"anonymous ({executable} from the {where} returned no secret)");
        _log.Debug($"Registry credentials for {registry}: {executable} from the {where}.");
        return Mask(answer.Username == "<token>"
            ? RegistryCredential.Token(answer.Secret, $"{executable} (the {where}, identity token)")
            : RegistryCredential.Basic(answer.Username ?? "", answer.Secret, $"username '{answer.Username}' from {executable} (the {where})"));
    }

    private RegistryCredential Mask(RegistryCredential credential)
    {
        _masker?.Add(credential.Password);
        _masker?.Add(credential.IdentityToken);
        return credential;
    }

    /// <summary>The keys docker writes for a registry: the host alone, with a scheme, and Docker Hub's legacy URL.</summary>
    private static HashSet<string> LookupKeys(string registry)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { registry };
        if (registry == ImageReference.DockerHub)
            keys.UnionWith(["index.docker.io", "registry-1.docker.io", "https://index.docker.io/v1/"]);
        return keys;
    }

    private static JsonElement? FindEntry(JsonElement root, string section, HashSet<string> keys)
    {
        if (!root.TryGetProperty(section, out var entries) || entries.ValueKind != JsonValueKind.Object) return null;
        foreach (var entry in entries.EnumerateObject())
            if (keys.Contains(NormalizeKey(entry.Name)) || keys.Contains(entry.Name))
                return entry.Value;
        return null;
    }

    /// <summary><c>https://host:port/v1/</c> → <c>host:port</c>, as docker matches config keys.</summary>
    private static string NormalizeKey(string key)
    {
        var text = key;
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        var slash = text.IndexOf('/');
        return slash >= 0 ? text[..slash] : text;
    }

    private static string ShowPath(string path)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 1 && path.StartsWith(home + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? "~" + path[home.Length..]
            : path;
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "it printed nothing";

    private sealed record HelperAnswer
    {
        public string? ServerURL { get; init; }
        public string? Username { get; init; }
        public string? Secret { get; init; }
    }
}
