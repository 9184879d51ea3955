using System.IO.Compression;
using System.Xml.Linq;
using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.Packaging;

/// <summary>
/// Packs the toolkit and its <c>dotnet new</c> template with <c>dotnet pack</c>: the first project's version (MinVer,
/// from git tags) is given to the rest, so the template's build references exactly the toolkit packed beside it.
/// </summary>
public sealed class PackageBuilder(ILog log)
{
    /// <summary>Packs every project of <paramref name="options"/> into its output folder and reads back what was written.</summary>
    public async Task<PackResult> PackAsync(PackOptions options, CancellationToken cancellationToken = default)
    {
        // Every project must be there before anything is packed or deleted.
        if (options.Projects.Count == 0) throw new PipelineException("Nothing to pack: no project was named.");
        var missing = options.Projects.Where(p => !File.Exists(Path.Combine(options.RootDirectory, p))).ToList();
        if (missing.Count > 0)
            throw new PipelineException($"Cannot pack: {string.Join(", ", missing)} not found under {options.RootDirectory}.");

        Directory.CreateDirectory(options.OutputDirectory);
        var version = options.Version;
        var packages = new List<PackedPackage>();
        foreach (var project in options.Projects)
        {
            var package = await PackOneAsync(options, project, version, cancellationToken);
            version ??= package.Version;
            if (package.Version != version)
                throw new PipelineException($"{project} packed as {package.Version}, not {version}: the packages must share one version.");
            packages.Add(package);
        }
        return new PackResult(version!, packages);
    }

    private async Task<PackedPackage> PackOneAsync(PackOptions options, string project, string? version, CancellationToken cancellationToken)
    {
        // Packs into a fresh folder first, so the package this run wrote is told apart from older ones in the output.
        var staging = Path.Combine(options.OutputDirectory, ".pack-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var arguments = new List<string>
            {
                "pack", Path.Combine(options.RootDirectory, project),
                "--configuration", options.Configuration,
                "--output", staging,
                "--nologo",
                "--verbosity", "quiet",
            };
            if (version is not null) arguments.AddRange([$"-p:MinVerVersionOverride={version}", $"-p:GitOpsPipelinesVersion={version}"]);
            if (options.IntermediateDirectory is { } intermediate)
                arguments.AddRange(["-p:UseArtifactsOutput=true", $"-p:ArtifactsPath={Path.Combine(intermediate, Path.GetFileNameWithoutExtension(project))}"]);

            log.Info($"dotnet pack {project}{(version is null ? " (version from git tags)" : $" at {version}")}");
            var result = await new Command("dotnet")
                .WithArguments(arguments)
                .WithWorkingDirectory(options.RootDirectory)
                .WithEnvironment("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
                .WithEnvironment("DOTNET_NOLOGO", "1")
                .WithOutput(OutputMode.Quiet)
                .WithTimeout(options.Timeout)
                .WithMissingHint("install the .NET SDK that global.json names, or run ./build.sh, which installs it")
                .ExecuteAsync(log, cancellationToken);
            result.EnsureSuccess($"dotnet pack {project}");

            var written = Directory.GetFiles(staging, "*.nupkg");
            if (written.Length != 1)
                throw new PipelineException($"dotnet pack {project} wrote {written.Length} packages into {staging}, expected one.");
            var (id, packedVersion) = ReadIdentity(written[0]);
            var path = MoveInto(written[0], options.OutputDirectory);
            var symbols = Path.ChangeExtension(written[0], ".snupkg");
            var symbolsPath = File.Exists(symbols) ? MoveInto(symbols, options.OutputDirectory) : null;
            return new PackedPackage(id, packedVersion, path, symbolsPath);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static string MoveInto(string file, string directory)
    {
        var target = Path.Combine(directory, Path.GetFileName(file));
        File.Move(file, target, overwrite: true);
        return target;
    }

    /// <summary>The id and version a package's .nuspec declares.</summary>
    internal static (string Id, string Version) ReadIdentity(string nupkg)
    {
        using var archive = ZipFile.OpenRead(nupkg);
        var entry = archive.Entries.SingleOrDefault(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
            ?? throw new PipelineException($"{nupkg} holds no .nuspec: it is not a NuGet package.");
        using var stream = entry.Open();
        var metadata = XDocument.Load(stream).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata");
        var id = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "id")?.Value;
        var version = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "version")?.Value;
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(version))
            throw new PipelineException($"{nupkg}: its .nuspec names no id or version.");
        return (id, version);
    }
}
