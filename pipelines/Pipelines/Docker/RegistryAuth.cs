using Docker.DotNet.Models;
using Pipelines.Registry;

namespace Pipelines.Docker;

/// <summary>Credentials the daemon presents to a registry on push or pull (sent as the <c>X-Registry-Auth</c> header).</summary>
/// <param name="ServerAddress">The registry host (<c>127.0.0.1:5000</c>, <c>registry.cn-shanghai.aliyuncs.com</c>).</param>
/// <param name="Username">The user name, or null for anonymous access.</param>
/// <param name="Password">The password or access token; a secret.</param>
internal sealed record RegistryAuth(string ServerAddress, string? Username = null, string? Password = null)
{
    /// <summary>An OAuth2 identity token (Docker's <c>identitytoken</c>) instead of a password; a secret.</summary>
    public string? IdentityToken { get; init; }

    /// <summary>Where the credentials came from, for messages (never the secret).</summary>
    public string? Source { get; init; }

    /// <summary>No credentials: the daemon pushes anonymously.</summary>
    public static RegistryAuth Anonymous(string serverAddress) => new(serverAddress) { Source = "anonymous" };

    /// <summary>The credentials <see cref="DockerCredentials"/> found for <paramref name="serverAddress"/>.</summary>
    public static RegistryAuth From(RegistryCredential credential, string serverAddress) =>
        new(serverAddress, credential.Username, credential.Password) { IdentityToken = credential.IdentityToken, Source = credential.Source };

    /// <summary>The credentials as Docker.DotNet sends them (it encodes the <c>X-Registry-Auth</c> header).</summary>
    internal AuthConfig ToAuthConfig() => IdentityToken is not null
        ? new AuthConfig { IdentityToken = IdentityToken, ServerAddress = ServerAddress }
        : Username is not null
            ? new AuthConfig { Username = Username, Password = Password ?? "", ServerAddress = ServerAddress }
            : new AuthConfig { ServerAddress = ServerAddress };

    /// <summary>Never shows the password or token.</summary>
    public override string ToString() =>
        Username is null ? Source ?? $"anonymous@{ServerAddress}" : $"{Username}@{ServerAddress}";
}
