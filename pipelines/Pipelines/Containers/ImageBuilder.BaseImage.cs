using Pipelines.Logging;
using Pipelines.Oci;
using System.Text.RegularExpressions;

namespace Pipelines.Containers;

internal sealed partial class ImageBuilder
{
    /// <summary>
    /// The <c>BASE_IMAGE</c> build argument: the one given; else nothing when the Dockerfile's default is present
    /// or pullable; else the locally assembled base (this host has no way to the default's registry).
    /// </summary>
    private async Task<string?> ResolveBaseImageAsync(ContainerizeOptions options, string dockerfile, CancellationToken cancellationToken)
    {
        if (options.BaseImage is { Length: > 0 } given) return given;
        if (options.BuildArgs.ContainsKey("BASE_IMAGE")) return null;
        if (DefaultBaseImage(await File.ReadAllTextAsync(dockerfile, cancellationToken)) is not { } defaultBase) return null;
        if (await _docker.InspectImageAsync(defaultBase, cancellationToken) is not null) return null;

        if (ImageReference.TryParse(defaultBase, out var reference, out _) && reference is not null)
        {
            try
            {
                await _docker.PullImageAsync($"{reference.Registry}/{reference.Repository}", reference.Digest ?? reference.Tag ?? "latest", cancellationToken: cancellationToken);
                return null;
            }
            catch (PipelineException e)
            {
                _log.Debug($"Pulling {defaultBase} failed: {e.Message}");
            }
        }

        var local = await _localBase.EnsureAsync(cancellationToken: cancellationToken);
        _log.Warn($"The default base {defaultBase} is neither present nor pullable: using a locally assembled base {local} (this host's glibc) for local use only. Pass --base-image for an image to ship.");
        return local;
    }

    /// <summary>The default of <c>ARG BASE_IMAGE=…</c> in a Dockerfile, or null.</summary>
    public static string? DefaultBaseImage(string dockerfile) =>
        BaseImageArgument().Match(dockerfile) is { Success: true } match ? match.Groups["image"].Value : null;

    [GeneratedRegex("""^\s*ARG\s+BASE_IMAGE\s*=\s*["']?(?<image>[^\s"']+)""", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex BaseImageArgument();
}
