using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using Pipelines.Workspace;

namespace Pipelines.Containers;

/// <summary>
/// What an image build depends on, for the Containerize target's cache: the publish inputs (hashed as the publish
/// step hashes them), the Dockerfile and the files of the context that reach the image, the build arguments, the
/// base image by its ID, the target stage and platform, and the commit the tags and labels come from. A cached
/// build holds while the registry still has every tag at the recorded digest.
/// </summary>
internal static class ContainerizeInputs
{
    /// <summary>Adds the build's inputs to the fingerprint; asks the Docker daemon for the base image's ID.</summary>
    public static async Task DeclareAsync(Fingerprint inputs, ContainerizeOptions options, DockerEngine docker, ILog log, CancellationToken cancellationToken)
    {
        if (!options.Push) inputs.NotCacheable("an image built with --push false is not in a registry to check");
        if (options.NoCache) inputs.NotCacheable("--no-cache asks for a build from scratch");
        if (options.Pull) inputs.NotCacheable("--pull asks for the newest base image");

        var root = options.RootDirectory;
        var dockerfile = Path.GetFullPath(options.Dockerfile, root);
        var context = Path.GetFullPath(options.Context, root);
        var publish = Path.GetFullPath(options.PublishDirectory ?? Path.Combine(context, "publish"), root);
        inputs.Add("registry", options.Registry).Add("image-name", options.ImageName)
            .Add("build-args", options.BuildArgs).Add("target", options.Target).Add("platform", options.Platform)
            .Add("project", options.Project).Add("runtime-identifier", options.RuntimeIdentifier)
            // Another compression is another image in the registry (other layer digests): never the cached one.
            .Add("layer-compression", options.LayerCompression.ToString())
            .File(dockerfile);

        if (options.Project is { } project)
        {
            var published = PublishInputs.Hash(root, ProjectFile(Path.GetFullPath(project, root)), [options.RuntimeIdentifier, "Release", "self-contained"]);
            if (published is null) inputs.NotCacheable($"what publishing {project} reads cannot be known for sure");
            inputs.Add("publish inputs", published);
        }

        // The context as the daemon receives it; the publish output is covered by the publish inputs above.
        var ignore = DockerIgnore.Load(context);
        inputs.File(Path.Combine(context, ".dockerignore"));
        inputs.Directory(context, relative =>
            !ignore.IsExcluded(relative) && !(options.Project is not null && IsUnder(Path.Combine(context, relative), publish)));

        // The base image by ID: the one named (--base-image, BASE_IMAGE, the Dockerfile's default) and the
        // locally assembled fallback the build uses when the default cannot be had. Tags and labels come from the commit.
        var baseImage = options.BaseImage is { Length: > 0 } given ? given
            : options.BuildArgs.TryGetValue("BASE_IMAGE", out var argument) ? argument
            : ImageBuilder.DefaultBaseImage(await File.ReadAllTextAsync(dockerfile, cancellationToken));
        var named = baseImage is null ? Task.FromResult<ImageInspection?>(null) : docker.InspectImageAsync(baseImage, cancellationToken);
        var local = docker.InspectImageAsync(LocalBaseImage.DefaultTag, cancellationToken);
        var revision = new SourceRevisionReader(log).RequireAsync(root, ImageBuilder.RevisionPurpose, cancellationToken);
        await Task.WhenAll(named, local, revision);
        if (baseImage is not null) inputs.Add("base:" + baseImage, named.Result?.Id ?? "absent");
        inputs.Add("base:" + LocalBaseImage.DefaultTag, local.Result?.Id ?? "absent");
        // What the labels carry besides the tags; not the checkout's path, so that another clone of the commit hits the cache.
        var head = revision.Result;
        inputs.Add("tags", ImageTags.For(head)).Add("revision", $"{head.Commit} {head.CommitTime.ToUnixTimeSeconds()} {head.Origin}");
    }

    /// <summary>Null while the registry holds every tag of the cached build at its digest; else why not.</summary>
    /// <param name="run">The cached run.</param>
    /// <param name="recordKey">The state record holding the <see cref="BuiltImage"/> (one per service).</param>
    /// <param name="registry">The registry client.</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    public static Task<string?> StillInRegistryAsync(CachedRun run, string recordKey, RegistryClient registry, CancellationToken cancellationToken) =>
        run.Record<BuiltImage>(recordKey) is { } built
            ? StillInRegistryAsync(built, registry, cancellationToken)
            : Task.FromResult<string?>("the cached build pushed no image");

    /// <summary>Null while the registry holds every tag of a pushed image at its digest; else why not.</summary>
    public static async Task<string?> StillInRegistryAsync(BuiltImage built, RegistryClient registry, CancellationToken cancellationToken)
    {
        if (built.Digest is not { } digest) return "the build pushed no image";
        var stored = await Task.WhenAll(built.Tags.Select(tag => registry.HeadManifestAsync(ImageReference.Parse($"{built.Repository}:{tag}"), cancellationToken)));
        foreach (var (tag, manifest) in built.Tags.Zip(stored))
        {
            if (manifest is null) return $"{built.Repository}:{tag} is no longer in the registry";
            if (manifest.Digest != digest) return $"{built.Repository}:{tag} now points at {manifest.Digest}, not {digest}";
        }
        return null;
    }

    /// <summary>The project file dotnet publish picks for a path: the file itself, or a folder's only project file.</summary>
    private static string ProjectFile(string path) =>
        Directory.Exists(path) && Directory.GetFiles(path, "*.*proj") is [var only] ? only : path;

    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
