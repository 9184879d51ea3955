using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.Scanning;

internal sealed partial class TrivyScanner
{
    /// <summary>How Trivy runs: a binary on this machine, or its image in a container.</summary>
    private sealed record Located(string? Executable, string CacheDirectory, IReadOnlyList<TrivyContainerCopy> Copies)
    {
        public bool InContainer => Executable is null;

        /// <summary>The path Trivy sees for a host path: itself, the cache volume, or its place in a copied folder.</summary>
        public string Map(string hostPath)
        {
            if (!InContainer) return hostPath;
            var full = Path.GetFullPath(hostPath);
            if (full == CacheDirectory) return TrivyContainerRun.CachePath;
            foreach (var copy in Copies)
                if (full == copy.HostPath || full.StartsWith(copy.HostPath + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    return copy.ContainerPath + full[copy.HostPath.Length..].Replace(Path.DirectorySeparatorChar, '/');
            return hostPath;
        }
    }

    private async Task<Located> LocateAsync(TrivyOptions options, CancellationToken cancellationToken)
    {
        if (Command.Resolve(options.TrivyPath) is { } executable) return new Located(executable, "", []);

        var isPath = options.TrivyPath.Contains('/') || options.TrivyPath.Contains('\\');
        if (isPath)
            throw new PipelineException($"--trivy-path {options.TrivyPath} does not exist; point it at the trivy binary, or {InstallHint}.");
        if (_containers is null)
            throw new PipelineException($"Trivy is not installed (no `{options.TrivyPath}` on PATH) and this build has no Docker fallback: {InstallHint}.");
        if (!await _containers.IsAvailableAsync(cancellationToken))
            throw new PipelineException($"Trivy is not installed (no `{options.TrivyPath}` on PATH) and no Docker engine answers to run its image instead: {InstallHint}, or start Docker.");

        _log.Warn($"`{options.TrivyPath}` is not on PATH: running Trivy from the image {options.ContainerImage} through Docker instead.");
        // The container gets the daemon's Docker socket when it has one: a tag someone re-pushed would run with the daemon's rights.
        if (!options.ContainerImage.Contains("@sha256:", StringComparison.Ordinal))
            _log.Warn($"The Trivy image {options.ContainerImage} is pinned by tag only; pin it by digest with --trivy-image <image>@sha256:<digest>, or install Trivy.");
        // The output folder goes in too: `trivy convert` reads the report the scan wrote there.
        var copies = new List<TrivyContainerCopy> { new(Path.GetFullPath(options.OutputDirectory), "/trivy/output", CopyBack: true) };
        // Only the ignore file, not its folder (often the repository's root).
        if (options.IgnoreFile is { } ignoreFile && File.Exists(ignoreFile))
            copies.Add(new(Path.GetFullPath(ignoreFile), "/trivy/config/" + Path.GetFileName(ignoreFile)));
        return new Located(null, Path.GetFullPath(options.CacheDirectory), copies);
    }

    private async Task<TrivyVersion> CheckVersionAsync(Located trivy, TrivyOptions options, CancellationToken cancellationToken)
    {
        var (exitCode, output, error) = await InvokeAsync(trivy, options, ["version", "--format", "json"],
            new Dictionary<string, string?>(), TimeSpan.FromMinutes(1), OutputMode.Quiet, cancellationToken);
        if (exitCode != 0)
            throw new PipelineException($"`trivy version --format json` exited with code {exitCode}{Tail(error, output)}; check the Trivy installation or --trivy-path.");
        var version = TrivyVersion.Parse(output);
        if (version.IsCompromised)
            throw new PipelineException(
                $"Trivy {version.Version} is a release published by the March 2026 supply-chain compromise (GHSA-69fq-xp46-6x23; 0.69.4–0.69.6 are refused). " +
                "Do not run it: remove it, install a verified release (checksums from https://github.com/aquasecurity/trivy/releases), and rotate any secret it could read.");
        return version;
    }

    private async Task RunScanAsync(Located trivy, TrivyOptions options, CancellationToken cancellationToken)
    {
        var arguments = ScanArguments(options, trivy.Map);
        var (exitCode, output, error) = await InvokeAsync(trivy, options, arguments, ScanEnvironment(options),
            options.Timeout + options.TimeoutMargin, OutputMode.Stream, cancellationToken);
        // Trivy exits 1 on fatal errors whatever --exit-code says; a report written before such an error is not trusted.
        if (exitCode != 0)
            throw new PipelineException($"Trivy exited with code {exitCode}{Tail(error, output)}. The scan did not complete, so {options.Image} is not considered scanned; fix the cause above and re-run.");
    }

    private async Task ConvertToSbomAsync(Located trivy, TrivyOptions options, CancellationToken cancellationToken)
    {
        // `trivy convert` renders the saved scan as CycloneDX, so the image is not scanned twice.
        var (exitCode, output, error) = await InvokeAsync(trivy, options,
            ["convert", "--format", "cyclonedx", "--output", trivy.Map(options.SbomPath), trivy.Map(options.ReportPath)],
            new Dictionary<string, string?>(), options.Timeout + options.TimeoutMargin, OutputMode.Stream, cancellationToken);
        if (exitCode != 0)
            throw new PipelineException($"`trivy convert --format cyclonedx` exited with code {exitCode}{Tail(error, output)}; the SBOM was not written.");
    }

    private async Task<(int ExitCode, string Output, string Error)> InvokeAsync(
        Located trivy, TrivyOptions options, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment,
        TimeSpan limit, OutputMode output, CancellationToken cancellationToken)
    {
        if (trivy.Executable is { } executable)
        {
            try
            {
                var result = await new Command(executable)
                    .WithArguments(arguments)
                    .WithEnvironment(environment)
                    .WithWorkingDirectory(options.WorkingDirectory)
                    .WithTimeout(limit)
                    .WithOutput(output)
                    .WithMissingHint(InstallHint)
                    .ExecuteAsync(_log, cancellationToken);
                return (result.ExitCode, result.StandardOutput, result.StandardError);
            }
            catch (CommandTimeoutException)
            {
                throw TimedOut(options);
            }
        }

        try
        {
            var run = new TrivyContainerRun(options.ContainerImage, arguments, environment, trivy.Copies, limit);
            var result = await _containers!.RunAsync(run, _log, cancellationToken);
            return (result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (TimeoutException)
        {
            throw TimedOut(options);
        }
    }

    private static PipelineException TimedOut(TrivyOptions options) => new(
        $"Trivy did not finish within {Durations.Format(options.Timeout)} (--scan-timeout, which includes the database download) and was stopped; " +
        "the image is not considered scanned. Raise --scan-timeout, point --db-repository at a closer mirror, or warm the cache and pass --skip-db-update.");

    private static string Tail(string error, string output)
    {
        var text = error.Trim().Length > 0 ? error : output;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(5).ToList();
        return lines.Count == 0 ? "" : ": " + string.Join("\n", lines);
    }
}
