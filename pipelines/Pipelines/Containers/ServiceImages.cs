using Pipelines.Containers;
using Pipelines.Oci;
using Pipelines.Workspace;

namespace Pipelines.Containers;

/// <summary>
/// The images Containerize built, one state record per service, and how the later targets find a service's image:
/// <c>--image</c> when given (one service), else the service's record, pinned by the digest the registry returned.
/// </summary>
internal static class ServiceImages
{
    /// <summary>Every pushed image as <c>repository@sha256:…</c>, comma-separated: Tekton Chains' <c>IMAGES</c> result.</summary>
    public const string ImagesOutput = "IMAGES";

    /// <summary>The state record of one service's <see cref="BuiltImage"/>.</summary>
    public static string StateKey(string service) => $"{BuiltImage.StateKey}:{service}";

    /// <summary>
    /// Records a service's image for the later targets (and later Tasks, through the state file), and the commit
    /// Containerize ran at (an image kept because its service did not change names an earlier one in its tags).
    /// </summary>
    public static void Record(PipelineState state, string service, BuiltImage image, string? commit = null)
    {
        state.SetRecord(StateKey(service), image);
        state.SetRecord($"{StateKey(service)}:commit", new RecordedAt(commit));
    }

    /// <summary>The commit Containerize last ran at for the service (null: unknown, e.g. outside git).</summary>
    public static string? RecordedCommit(PipelineState state, string service) =>
        state.GetRecord<RecordedAt>($"{StateKey(service)}:commit")?.Commit;

    /// <summary>The commit a service's image record was made at.</summary>
    public sealed record RecordedAt(string? Commit);

    /// <summary>
    /// Publishes <c>IMAGES</c>; with <paramref name="single"/> also <c>IMAGE_URL</c> and <c>IMAGE_DIGEST</c> (empty when not
    /// pushed, so that no stale digest pairs with the URL).
    /// </summary>
    public static void Publish(Action<string, string> publish, IReadOnlyList<BuiltImage> images, bool single)
    {
        publish(ImagesOutput, string.Join(',', images.Where(i => i.Digest is not null).Select(i => i.Reference)));
        if (!single || images is not [var only]) return;
        publish(ImageSelection.ImageUrlOutput, only.Url);
        publish(ImageSelection.ImageDigestOutput, only.Digest ?? "");
    }

    /// <summary>The service's pushed image pinned by digest: <paramref name="explicitImage"/> when given, else its record.</summary>
    public static ImageReference Select(PipelineState state, string service, string? explicitImage)
    {
        if (explicitImage is { Length: > 0 }) return ImageSelection.Select(explicitImage, null);
        var built = Built(state, service);
        if (built.Digest is null)
            throw new PipelineException(
                $"Service {service}'s image {built.Url} was built with --push false and has no registry digest: run Containerize with --push, " +
                $"or pass --service {service} --image <ref>@sha256:<digest>.");
        return ImageReference.Parse(built.Url).WithDigest(built.Digest);
    }

    /// <summary>The image Containerize recorded for a service.</summary>
    internal static BuiltImage Built(PipelineState state, string service) =>
        state.GetRecord<BuiltImage>(StateKey(service))
        ?? throw new PipelineException(
            $"No image of service {service} to act on: run Containerize first (it records each service's image in {WorkspaceLayout.Relative.StateFile}), " +
            $"or pass --service {service} --image <registry>/<repository>@sha256:<digest>.");

    /// <summary>
    /// The services whose recorded image was built from another commit than the one checked out (Containerize skipped or
    /// run for other services), each with the warning Deploy gives: it commits what is recorded, which may be older than what runs.
    /// </summary>
    public static IReadOnlyList<string> BuiltAtOtherCommits(PipelineState state, IEnumerable<string> services, string commit) =>
        services
            .Select(service => (service, built: state.GetRecord<BuiltImage>(StateKey(service)), recorded: RecordedCommit(state, service)))
            .Where(x => x.built is not null && x.recorded is not null && x.recorded != commit)
            .Select(x => $"{x.service}: the recorded image {x.built!.Reference} was recorded by Containerize at commit {x.recorded![..Math.Min(12, x.recorded!.Length)]}, not {commit[..Math.Min(12, commit.Length)]}; " +
                         "Deploy commits it as recorded. Run Containerize for it, or leave it out with --service.")
            .ToList();
}
