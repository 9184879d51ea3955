using Pipelines.Containers;
using Pipelines.Targets;

partial class Build
{
    [Parameter("Registry user for pushing, scanning and signing (else ~/.docker/config.json)")]
    readonly string? RegistryUsername;

    [Parameter("Registry password or token for pushing, scanning and signing"), Secret]
    readonly string? RegistryPassword;

    [Parameter("Registries reached over plain HTTP besides localhost/127.0.0.1: host[:port] list")]
    readonly string[] InsecureRegistries = [];

    /// <summary>The one registry client the targets share: the parameters' credentials, else docker's config.</summary>
    RegistryClient CreateRegistryClient() =>
        new(new RegistryClientOptions { InsecureRegistries = InsecureRegistries },
            new DockerCredentials(null, DockerCredentials.FromParameters(RegistryUsername, RegistryPassword), Log, Host.Masker),
            Log, Host.Masker);
}
