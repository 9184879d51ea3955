using Pipelines.Oci;
using Pipelines.Hosts;
using Pipelines.Registry;
using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>The registry images are pushed to and read from, and how to log in to it: shared by every stage that touches images.</summary>
public interface IRegistryAccess : IPipelineBuild
{
    [Parameter("Registry to push to: host[:port][/namespace]; default a local registry on 127.0.0.1:5000, started when absent")]
    string? Registry => ValueOf(() => Registry, null);

    [Parameter("Registry user for pushing, scanning and signing (else ~/.docker/config.json)")]
    string? RegistryUsername => ValueOf(() => RegistryUsername, null);

    [Parameter("Registry password or token for pushing, scanning and signing"), Secret]
    string? RegistryPassword => ValueOf(() => RegistryPassword, null);

    [Parameter("Registries reached over plain HTTP besides localhost/127.0.0.1: host[:port] list")]
    string[] InsecureRegistries => ValueOf(() => InsecureRegistries, []);

    /// <summary>A <c>--registry</c> that is not <c>host[:port][/namespace]</c> stops the run before any target, not at the push.</summary>
    internal Task RegistryNameAsync(CancellationToken cancellationToken) =>
        Registry is { Length: > 0 } registry && ImageReference.RegistryProblem(registry) is { } problem
            ? throw new PipelineException($"--registry '{registry}' is not a registry: {problem}.")
            : Task.CompletedTask;

    /// <summary>The registry credentials every target uses: the parameters', else docker's config.</summary>
    internal DockerCredentials RegistryCredentials() =>
        new(null, DockerCredentials.FromParameters(RegistryUsername, RegistryPassword), Log, Host.Masker);

    /// <summary>A registry client with the build's credentials and insecure registries.</summary>
    internal RegistryClient CreateRegistryClient() =>
        new(new RegistryClientOptions { InsecureRegistries = InsecureRegistries }, RegistryCredentials(), Log, Host.Masker);

    /// <summary>The credentials an image is pushed with to a registry (host[/namespace]).</summary>
    internal Task<RegistryCredential> RegistryCredentialAsync(string registry, CancellationToken cancellationToken) =>
        RegistryCredentials().FindAsync(registry.Split('/')[0], cancellationToken);
}
