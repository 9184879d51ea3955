using System.Globalization;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Processes;
using Pipelines.Registry;
using Pipelines.Workspace;

namespace Pipelines.Containers;

/// <summary>
/// The Containerize capability: publishes the service self-contained, builds its image through the Docker
/// Engine API with commit/branch/semver tags and OCI labels, and pushes it, returning the digest the registry
/// stored. Re-running with the same inputs re-uses the daemon's cache and uploads no layer the registry holds:
/// the labels derive from the commit (its time, not the clock), so an unchanged tree builds the same image.
/// </summary>
internal sealed partial class ImageBuilder
{
    /// <summary>Why Containerize needs a commit, for the message outside a git repository.</summary>
    internal const string RevisionPurpose = "Containerize tags and labels the image with the commit";

    private readonly DockerEngine _docker;
    private readonly ILog _log;
    private readonly LocalBaseImage _localBase;
    private readonly RegistryClient? _registry;

    /// <summary>
    /// An image builder over <paramref name="docker"/>; <paramref name="localBase"/> supplies the offline base;
    /// <paramref name="registry"/> pushes (null: a client with default options and the options' credentials).
    /// </summary>
    public ImageBuilder(DockerEngine docker, ILog log, LocalBaseImage? localBase = null, RegistryClient? registry = null)
    {
        _docker = docker;
        _log = log;
        _localBase = localBase ?? new LocalBaseImage(docker, log);
        _registry = registry;
    }

    /// <summary>Publishes, builds, tags and (unless <see cref="ContainerizeOptions.Push"/> is off) pushes.</summary>
    public async Task<BuiltImage> BuildAsync(ContainerizeOptions options, CancellationToken cancellationToken = default)
    {
        // 1. Check every input before anything is published, built or pushed.
        var repository = Repository(options);
        var dockerfile = Path.GetFullPath(options.Dockerfile, options.RootDirectory);
        var context = Path.GetFullPath(options.Context, options.RootDirectory);
        if (!Directory.Exists(context))
            throw new PipelineException($"The build context {context} does not exist: pass --context with an existing folder.");
        if (!File.Exists(dockerfile))
            throw new PipelineException($"The Dockerfile {dockerfile} does not exist: pass --dockerfile with an existing file.");

        // 2. Independent work at once: git (tags and labels come from the commit, so the same commit always
        //    gives the same names and labels), the base image, and publishing the service into the context.
        //    The publish, the longest, starts first.
        var publishTask = options.Project is { } project ? Task.Run(() => PublishAsync(options, project, context, cancellationToken), cancellationToken) : Task.CompletedTask;
        var revisionTask = new SourceRevisionReader(_log).RequireAsync(options.RootDirectory, RevisionPurpose, cancellationToken);
        var baseTask = ResolveBaseImageAsync(options, dockerfile, cancellationToken);
        await Task.WhenAll(revisionTask, baseTask, publishTask);
        var revision = revisionTask.Result;
        var tags = ImageTags.For(revision);

        // 3. Build with every tag at once; the daemon's cache makes an unchanged rebuild cheap.
        var buildContext = BuildContext.Create(context, dockerfile);
        var buildArgs = new Dictionary<string, string>(options.BuildArgs);
        if (baseTask.Result is { } baseImage) buildArgs["BASE_IMAGE"] = baseImage;
        _log.Info($"Building {repository} ({string.Join(", ", tags)}) from {Path.GetRelativePath(options.RootDirectory, dockerfile)}");
        var build = await _docker.BuildImageAsync(new ImageBuildRequest(buildContext)
        {
            Tags = tags.Select(t => $"{repository}:{t}").ToList(),
            BuildArgs = buildArgs,
            Labels = Labels(options, revision),
            NoCache = options.NoCache,
            Target = options.Target,
            Platform = options.Platform,
            Pull = options.Pull,
        }, cancellationToken);

        if (!options.Push)
        {
            _log.Info($"Built {repository}:{tags[0]} ({build.ImageId}); not pushed (--push false).");
            return new BuiltImage(repository, tags, null, build.ImageId);
        }

        // 4. Push: blobs the registry lacks, then one manifest under every tag, each request retried on its own.
        var digest = await PushAsync(repository, tags, build.ImageId, options, cancellationToken);
        return new BuiltImage(repository, tags, digest, build.ImageId);
    }

    private async Task PublishAsync(ContainerizeOptions options, string project, string context, CancellationToken cancellationToken)
    {
        var output = Path.GetFullPath(options.PublishDirectory ?? Path.Combine(context, "publish"), options.RootDirectory);
        string[] arguments = ["publish", Path.GetFullPath(project, options.RootDirectory), "-c", "Release", "-r", options.RuntimeIdentifier,
            "--self-contained", "-o", output, "-nologo", "-p:DebugType=None",
            // The commit is on the image's labels and provenance; in the binary it would make every commit a new publish.
            "-p:IncludeSourceRevisionInInformationalVersion=false"];

        // Nothing the publish reads has changed since the last one: its output is current (the stamp sits beside
        // the output folder, outside the image's context).
        var stamp = output.TrimEnd(Path.DirectorySeparatorChar) + ".inputs";
        var inputs = PublishInputs.Hash(options.RootDirectory, project, arguments);
        if (inputs is not null && Directory.Exists(output) && File.Exists(stamp) && File.ReadAllText(stamp).Trim() == inputs)
        {
            _log.Info($"{project} is unchanged since its last publish; reusing {Path.GetRelativePath(options.RootDirectory, output)}.");
            return;
        }

        // A clean folder, so a file the project no longer produces cannot linger in the image.
        File.Delete(stamp);
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        _log.Info($"Publishing {project} self-contained for {options.RuntimeIdentifier} into {Path.GetRelativePath(options.RootDirectory, output)}");
        var result = await new Command("dotnet")
            .WithArguments(arguments)
            .WithWorkingDirectory(options.RootDirectory)
            .WithOutput(OutputMode.Quiet)
            .WithMissingHint("install the .NET SDK (./build.sh installs the one global.json names).")
            .ExecuteAsync(_log, cancellationToken);
        result.EnsureSuccess($"dotnet publish {project}");
        if (inputs is not null) await File.WriteAllTextAsync(stamp, inputs + "\n", cancellationToken);
    }

    private static Dictionary<string, string> Labels(ContainerizeOptions options, SourceRevision revision)
    {
        var labels = new Dictionary<string, string>
        {
            ["org.opencontainers.image.revision"] = revision.Commit,
            // The commit time, not the clock: a label that changed on every run would bust the build cache.
            ["org.opencontainers.image.created"] = revision.CommitTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["org.opencontainers.image.version"] = ImageTags.Version(revision) ?? revision.ShortCommit,
            ["org.opencontainers.image.title"] = options.ImageName,
        };
        if (revision.Origin is { } source) labels["org.opencontainers.image.source"] = source;
        return labels;
    }

    /// <summary><c>host[:port][/namespace]/name</c>, checked with the reference parser.</summary>
    private static string Repository(ContainerizeOptions options)
    {
        var registry = options.Registry.Trim().TrimEnd('/');
        if (registry.Length == 0 || registry.Contains("://", StringComparison.Ordinal))
            throw new PipelineException($"--registry '{options.Registry}' is not host[:port][/namespace] (e.g. 127.0.0.1:5000 or registry.cn-shanghai.aliyuncs.com/team): drop any scheme.");
        var repository = $"{registry}/{options.ImageName}";
        if (!ImageReference.TryParse(repository, out var parsed, out var error) || parsed is null)
            throw new PipelineException($"--registry '{options.Registry}' with --image-name '{options.ImageName}' gives '{repository}', which is not a valid image repository: {error}");
        if (!string.Equals(parsed.Registry, RegistryHost(registry), StringComparison.OrdinalIgnoreCase))
            throw new PipelineException($"--registry '{options.Registry}' does not start with a registry host (a name with a dot or a port, or localhost): e.g. 127.0.0.1:5000/{registry}.");
        return repository;
    }

    private static string RegistryHost(string registry) => registry.Trim().Split('/')[0];
}
