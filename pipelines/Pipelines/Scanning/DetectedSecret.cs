namespace Pipelines.Scanning;

/// <summary>A secret Trivy found (<c>Results[].Secrets[]</c>). <see cref="Match"/> is Trivy's masked line, kept masked.</summary>
internal sealed record DetectedSecret(string RuleId, string? Category, Severity Severity, string? Title, int StartLine, int EndLine, string? Match);
