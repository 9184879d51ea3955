using System.Text.Json;

namespace Pipelines.Generators;

/// <summary>
/// Generates the CI files (<c>.github/workflows/*.yml</c>, <c>tekton/**</c>) from a build's own targets and
/// parameters plus its <see cref="CiConfiguration"/>, writes them, and tells whether the committed ones are current.
/// </summary>
internal sealed class CiGenerator(BuildShape build, CiConfiguration configuration)
{
    /// <summary>The folders the generator owns; a generated file there that is no longer generated is stale.</summary>
    public static readonly IReadOnlyList<string> OwnedFolders = [".github/workflows", "tekton"];

    /// <summary>
    /// Why the generated Tekton Tasks cannot run as configured: a runner image that is not pinned by digest
    /// (a tag can move, a placeholder was never built). Null when nothing is wrong or there is no Tekton pipeline.
    /// </summary>
    public string? RunnerImageProblem => configuration.Tekton is { } tekton && !TektonPipeline.IsPinned(tekton.RunnerImage)
        ? $"The Tekton runner image '{tekton.RunnerImage}' is not pinned by digest: {CiConfiguration.RunnerImageFix}, then run {configuration.RegenerateCommand}."
        : null;

    /// <summary>Every file, in a stable order. <paramref name="rootDirectory"/> supplies <c>global.json</c>.</summary>
    public IReadOnlyList<GeneratedFile> Generate(string rootDirectory)
    {
        var build = WithSecretParameters();
        var files = new List<GeneratedFile>(new GitHubWorkflowGenerator(build, configuration).Generate());
        if (configuration.Tekton is not null)
            files.AddRange(new TektonGenerator(build, configuration, DotNetSdkVersion(rootDirectory)).Generate());
        return files;
    }

    /// <summary>
    /// The PipelineRun <c>./build.sh TektonRun</c> creates on a cluster: the TriggerTemplate's, written by the same code
    /// (service account, fsGroup, claims, timeouts), with <paramref name="values"/> for its params. With
    /// <paramref name="manualPipeline"/> (<c>&lt;name&gt;-promote</c>), that manual Pipeline's TriggerTemplate's.
    /// </summary>
    public System.Text.Json.Nodes.JsonObject PipelineRun(string rootDirectory, IReadOnlyDictionary<string, string> values, string? manualPipeline = null)
    {
        var generator = new TektonGenerator(WithSecretParameters(), configuration, DotNetSdkVersion(rootDirectory));
        string Value(string name) => values.TryGetValue(name, out var value) ? value : throw new PipelineException($"The PipelineRun needs its param {name}, which TektonRun did not give.");
        return (manualPipeline is null ? generator.PipelineRun(Value) : generator.ManualPipelineRun(manualPipeline, Value)).ToJson();
    }

    /// <summary>Writes the files and deletes generated files that are no longer generated; returns what changed.</summary>
    public FreshnessReport Write(string rootDirectory)
    {
        var files = Generate(rootDirectory);
        var report = Compare(rootDirectory, files);
        foreach (var file in files.Where(f => report.Changed.Contains(f.RelativePath)))
        {
            var path = Path.Combine(rootDirectory, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
        }
        foreach (var stale in report.Stale) File.Delete(Path.Combine(rootDirectory, stale));
        return report;
    }

    /// <summary>Compares what would be generated with what is on disk; writes nothing.</summary>
    public FreshnessReport Check(string rootDirectory) => Compare(rootDirectory, Generate(rootDirectory));

    private static FreshnessReport Compare(string rootDirectory, IReadOnlyList<GeneratedFile> files)
    {
        var changed = files
            .Where(f =>
            {
                var path = Path.Combine(rootDirectory, f.RelativePath);
                // A checkout with core.autocrlf holds CRLF: still current.
                return !File.Exists(path) || File.ReadAllText(path).Replace("\r\n", "\n") != f.Content;
            })
            .Select(f => f.RelativePath)
            .ToList();
        var expected = files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        var stale = OwnedFolders
            .Select(folder => Path.Combine(rootDirectory, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(rootDirectory, path).Replace('\\', '/'))
            .Where(relative => !expected.Contains(relative) && GeneratedHeader.IsGenerated(File.ReadAllText(Path.Combine(rootDirectory, relative))))
            .Order(StringComparer.Ordinal)
            .ToList();
        return new FreshnessReport(changed, stale);
    }

    /// <summary>The build's parameters with the configuration's <see cref="CiConfiguration.SecretParameters"/> treated as secrets.</summary>
    private BuildShape WithSecretParameters()
    {
        foreach (var name in configuration.SecretParameters)
            if (!build.Parameters.Any(p => p.MemberName == name))
                throw new PipelineException($"SecretParameters in {CiConfiguration.Where} names {name}, which is not a parameter; valid: {string.Join(", ", build.Parameters.Select(p => p.MemberName))}.");
        return build with
        {
            Parameters = build.Parameters.Select(p => configuration.SecretParameters.Contains(p.MemberName) ? p with { IsSecret = true, DefaultText = null } : p).ToList(),
        };
    }

    private static string DotNetSdkVersion(string rootDirectory)
    {
        var path = Path.Combine(rootDirectory, "global.json");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.GetProperty("sdk").GetProperty("version").GetString()
                ?? throw new KeyNotFoundException();
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new PipelineException($"{path} must name the .NET SDK as {{\"sdk\": {{\"version\": \"10.0.100\"}}}} for the Tekton runner image ({e.Message}).");
        }
    }
}
