namespace Pipelines.Scanning;

/// <summary>One entry of <c>Results[]</c>: a target (an OS, a lock file, a JAR, a file with secrets) and what was found in it.</summary>
/// <param name="Target">Always present, may be empty.</param>
/// <param name="Class"><c>os-pkgs</c>, <c>lang-pkgs</c>, <c>config</c>, <c>secret</c>, <c>license</c>, <c>license-file</c>, <c>custom</c>, …</param>
/// <param name="Type">e.g. <c>alpine</c>, <c>jar</c>, <c>dockerfile</c>; null for secrets.</param>
internal sealed record TrivyResult(
    string Target,
    string? Class,
    string? Type,
    IReadOnlyList<DetectedVulnerability> Vulnerabilities,
    IReadOnlyList<DetectedSecret> Secrets,
    IReadOnlyList<DetectedMisconfiguration> Misconfigurations)
{
    /// <summary>Licences found (<c>--scanners license</c>); empty otherwise.</summary>
    public IReadOnlyList<DetectedLicense> Licenses { get; init; } = [];
}
