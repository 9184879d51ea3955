using Pipelines.Registry;
using Pipelines.Targets;

namespace Pipelines.Builds;

public abstract partial class GitOpsBuild
{
    [Parameter("Registry user for pushing, scanning and signing (else ~/.docker/config.json)")]
    readonly string? RegistryUsername;

    [Parameter("Registry password or token for pushing, scanning and signing"), Secret]
    readonly string? RegistryPassword;

    [Parameter("Registries reached over plain HTTP besides localhost/127.0.0.1: host[:port] list")]
    readonly string[] InsecureRegistries = [];

    /// <summary>The registry credentials every target uses: the parameters', else docker's config.</summary>
    DockerCredentials RegistryCredentials() =>
        new(null, DockerCredentials.FromParameters(RegistryUsername, RegistryPassword), Log, Host.Masker);

    /// <summary>The one registry client the targets share.</summary>
    RegistryClient CreateRegistryClient() =>
        new(new RegistryClientOptions { InsecureRegistries = InsecureRegistries }, RegistryCredentials(), Log, Host.Masker);
}
