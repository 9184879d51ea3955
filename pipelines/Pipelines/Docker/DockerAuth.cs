using Docker.DotNet.Models;
using Pipelines.Oci;

namespace Pipelines.Docker;

/// <summary>
/// A <see cref="RegistryCredential"/> as the daemon wants it on push or pull (the <c>X-Registry-Auth</c> header):
/// the same credential the registry client uses, plus the server address, which the daemon reads from the image's
/// own registry host so that the two can never name different registries.
/// </summary>
internal static class DockerAuth
{
    /// <summary>The server address Docker expects for Docker Hub (its CLI writes this key in config.json).</summary>
    internal const string DockerHubServer = "https://index.docker.io/v1/";

    /// <summary>The registry host of <paramref name="repository"/> (<c>127.0.0.1:5000/team/app</c> → <c>127.0.0.1:5000</c>).</summary>
    internal static string ServerAddress(string repository) =>
        ImageReference.TryParse(repository, out var parsed, out _) && parsed is not null
            ? parsed.Registry == ImageReference.DockerHub ? DockerHubServer : parsed.Registry
            : repository.Split('/')[0];

    /// <summary>The credential as Docker.DotNet sends it (it encodes the <c>X-Registry-Auth</c> header); an identity token wins over a password.</summary>
    internal static AuthConfig ToAuthConfig(RegistryCredential credential, string serverAddress) => credential switch
    {
        { IdentityToken: { } token } => new AuthConfig { IdentityToken = token, ServerAddress = serverAddress },
        { Username: { } user } => new AuthConfig { Username = user, Password = credential.Password ?? "", ServerAddress = serverAddress },
        _ => new AuthConfig { ServerAddress = serverAddress },
    };
}
