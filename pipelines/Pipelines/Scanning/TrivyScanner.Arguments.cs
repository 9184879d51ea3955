using System.Globalization;

namespace Pipelines.Scanning;

internal sealed partial class TrivyScanner
{
    /// <summary>
    /// The arguments of <c>trivy image</c>. <paramref name="path"/> maps a host path to the path Trivy sees
    /// (itself for the binary, the mount target in a container). Credentials are never among them.
    /// </summary>
    public static IReadOnlyList<string> ScanArguments(TrivyOptions options, Func<string, string> path)
    {
        var arguments = new List<string>
        {
            "image",
            "--format", "json",
            "--output", path(options.ReportPath),
            "--scanners", string.Join(",", options.Scanners),
            "--timeout", GoDuration(options.Timeout),
            "--cache-dir", path(options.CacheDirectory),
            "--no-progress",
            // Packages are only needed for an SBOM; since v0.67 Trivy lists them by default, and they can be large.
            options.Sbom ? "--list-all-pkgs=true" : "--list-all-pkgs=false",
        };
        if (options.Severities.Count > 0)
            arguments.AddRange(["--severity", string.Join(",", options.Severities.OrderByDescending(s => s).Select(s => s.ToTrivyName()))]);
        if (options.IgnoreUnfixed) arguments.Add("--ignore-unfixed");
        foreach (var repository in options.DbRepositories) arguments.AddRange(["--db-repository", repository]);
        foreach (var repository in options.JavaDbRepositories) arguments.AddRange(["--java-db-repository", repository]);
        if (options.SkipDbUpdate) arguments.Add("--skip-db-update");
        if (options.Insecure) arguments.Add("--insecure");
        if (options.Platform is { Length: > 0 } platform) arguments.AddRange(["--platform", platform]);
        if (options.IgnoreFile is { } ignoreFile && File.Exists(ignoreFile)) arguments.AddRange(["--ignorefile", path(ignoreFile)]);
        arguments.Add(options.Image);
        return arguments;
    }

    /// <summary>The child's environment: registry credentials, and only there.</summary>
    public static IReadOnlyDictionary<string, string?> ScanEnvironment(TrivyOptions options)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (options.RegistryUsername is { Length: > 0 } user && options.RegistryPassword is { Length: > 0 } password)
        {
            environment["TRIVY_USERNAME"] = user;
            environment["TRIVY_PASSWORD"] = password;
        }
        return environment;
    }

    /// <summary>Whole seconds in Go's duration syntax (<c>300s</c>), which every Trivy release parses.</summary>
    public static string GoDuration(TimeSpan timeout) =>
        ((long)Math.Ceiling(Math.Max(1, timeout.TotalSeconds))).ToString(CultureInfo.InvariantCulture) + "s";
}
