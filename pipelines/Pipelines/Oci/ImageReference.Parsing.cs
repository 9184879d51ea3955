using System.Text.RegularExpressions;

namespace Pipelines.Oci;

internal sealed partial record ImageReference
{
    private const string TagRule =
        "a tag is 1 to 128 characters: letters, digits, '_', '.' and '-', not starting with '.' or '-'";

    private const string ComponentRule =
        "each path component must be lowercase letters and digits, separated by '.', '_', '__' or '-'";

    /// <summary>Returns null when valid (and sets <paramref name="result"/>), else what is wrong.</summary>
    private static string? Check(string? reference, out ImageReference? result)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(reference)) return "it is empty; write [registry/]repository[:tag][@sha256:digest]";
        if (reference.Any(char.IsWhiteSpace)) return "it contains whitespace";

        var remainder = reference;
        string? digest = null;
        var at = remainder.IndexOf('@');
        if (at >= 0)
        {
            digest = remainder[(at + 1)..];
            remainder = remainder[..at];
            if (!Oci.Digest.IsValid(digest))
                return $"the digest '{digest}' is not valid: {Oci.Digest.Explain(digest)} (expected sha256: and 64 lowercase hex digits)";
        }

        string? tag = null;
        var colon = remainder.LastIndexOf(':');
        if (colon > remainder.LastIndexOf('/'))
        {
            tag = remainder[(colon + 1)..];
            remainder = remainder[..colon];
            if (!TagPattern().IsMatch(tag)) return $"the tag '{tag}' is not valid: {TagRule}";
        }

        if (remainder.Length == 0) return "the repository name is missing";
        var slash = remainder.IndexOf('/');
        string registry, repository;
        if (slash < 0 || !LooksLikeHost(remainder[..slash]))
        {
            registry = DockerHub;
            repository = remainder;
        }
        else
        {
            registry = remainder[..slash];
            repository = remainder[(slash + 1)..];
            var hostError = CheckHost(registry);
            if (hostError is not null) return hostError;
            registry = registry.ToLowerInvariant();
            if (registry == "index.docker.io") registry = DockerHub;
        }

        if (repository.Length == 0) return $"the repository name after '{registry}/' is missing";
        foreach (var component in repository.Split('/'))
        {
            if (component.Length == 0) return $"the repository '{repository}' has an empty path component";
            if (component.Any(char.IsAsciiLetterUpper))
                return $"the repository '{repository}' contains uppercase letters; repository names must be lowercase";
            if (!ComponentPattern().IsMatch(component))
                return $"the repository component '{component}' is not valid: {ComponentRule}";
        }

        if (registry == DockerHub && !repository.Contains('/')) repository = "library/" + repository;
        var name = $"{registry}/{repository}";
        if (name.Length > MaxNameLength)
            return $"the name '{name}' is {name.Length} characters long; the limit is {MaxNameLength}";

        result = new ImageReference(registry, repository, tag, digest);
        return null;
    }

    /// <summary>
    /// What is wrong with a registry as the toolkit takes it (<c>host[:port][/namespace]</c>), or null when it is valid:
    /// checked before anything runs, so a bad <c>--registry</c> is refused before Test rather than at the push.
    /// </summary>
    public static string? RegistryProblem(string registry)
    {
        const string Example = "write host[:port][/namespace], e.g. 127.0.0.1:5000 or registry.cn-hangzhou.aliyuncs.com/team";
        if (registry.Any(char.IsWhiteSpace)) return $"it contains whitespace; {Example}";
        var parts = registry.TrimEnd('/').Split('/', 2);
        if (CheckHost(parts[0]) is { } hostError) return $"{hostError}; {Example}";
        if (!LooksLikeHost(parts[0])) return $"'{parts[0]}' is not a registry host (a host has a '.' or a ':port', or is localhost); {Example}";
        return parts.Length > 1 ? RepositoryProblem(parts[1]) : null;
    }

    /// <summary>What is wrong with a repository name (<c>team/orders</c>) by the OCI distribution grammar, or null when it is valid.</summary>
    public static string? RepositoryProblem(string repository)
    {
        if (repository.Length == 0) return "the repository name is empty";
        if (repository.Any(char.IsWhiteSpace)) return $"the repository '{repository}' contains whitespace";
        foreach (var component in repository.Split('/'))
        {
            if (component.Length == 0) return $"the repository '{repository}' has an empty path component";
            if (component.Any(char.IsAsciiLetterUpper))
                return $"the repository '{repository}' contains uppercase letters; repository names must be lowercase, e.g. '{repository.ToLowerInvariant()}'";
            if (!ComponentPattern().IsMatch(component))
                return $"the repository component '{component}' is not valid: {ComponentRule}";
        }
        return null;
    }

    /// <summary>The distribution rule: a first component is a host when it has '.' or ':', is localhost, or has uppercase.</summary>
    private static bool LooksLikeHost(string component) =>
        component.Contains('.') || component.Contains(':') || component == "localhost" || component.Any(char.IsAsciiLetterUpper);

    private static string? CheckHost(string registry)
    {
        string host = registry;
        string? port = null;
        if (registry.StartsWith('['))
        {
            var close = registry.IndexOf(']');
            if (close < 0) return $"the registry host '{registry}' has an unclosed '[' (IPv6 hosts are written [::1]:5000)";
            host = registry[1..close];
            var rest = registry[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':') return $"the registry host '{registry}' has text after ']' that is not a port";
                port = rest[1..];
            }
            if (!System.Net.IPAddress.TryParse(host, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                return $"the registry host '{registry}' is not a valid IPv6 address";
        }
        else
        {
            var colon = registry.IndexOf(':');
            if (colon >= 0)
            {
                host = registry[..colon];
                port = registry[(colon + 1)..];
            }
            if (!HostPattern().IsMatch(host))
                return $"the registry host '{host}' is not a valid host name (letters, digits, '-' and '.')";
        }

        if (port is not null && (!port.All(char.IsAsciiDigit) || port.Length is 0 or > 5 || int.Parse(port) is < 1 or > 65535))
            return $"the registry port '{port}' in '{registry}' is not a number from 1 to 65535";
        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ComponentPattern();

    [GeneratedRegex(@"^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();
}
