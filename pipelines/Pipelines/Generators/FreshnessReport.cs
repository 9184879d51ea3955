namespace Pipelines.Generators;

/// <summary>Generated files that differ from the disk (<see cref="Changed"/>, missing ones included) and generated files no longer generated (<see cref="Stale"/>).</summary>
internal sealed record FreshnessReport(IReadOnlyList<string> Changed, IReadOnlyList<string> Stale)
{
    /// <summary>True when no generated file needs to be written or deleted.</summary>
    public bool IsCurrent => Changed.Count == 0 && Stale.Count == 0;

    /// <summary>One sentence naming the files and the command that fixes them.</summary>
    public string Describe(string regenerateCommand)
    {
        var files = Changed.Concat(Stale.Select(s => s + " (no longer generated)")).ToList();
        var shown = string.Join(", ", files.Take(5)) + (files.Count > 5 ? $" and {files.Count - 5} more" : "");
        return $"The generated CI files are not current with build/ ({shown}); run {regenerateCommand} and commit the result.";
    }
}
