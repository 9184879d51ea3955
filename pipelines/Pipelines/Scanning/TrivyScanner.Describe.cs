using Pipelines.Processes;

namespace Pipelines.Scanning;

internal sealed partial class TrivyScanner
{
    /// <summary>
    /// What <c>trivy version --format json</c> prints for the Trivy the scan would run, with the scan's cache folder:
    /// its release and its databases' versions and dates (what a cached verdict depends on).
    /// </summary>
    public async Task<string> VersionJsonAsync(TrivyOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.CacheDirectory);
        var trivy = await LocateAsync(options, cancellationToken);
        var (exitCode, output, error) = await InvokeAsync(trivy, options, ["version", "--format", "json", "--cache-dir", trivy.Map(options.CacheDirectory)],
            new Dictionary<string, string?>(), TimeSpan.FromMinutes(1), OutputMode.Quiet, cancellationToken);
        if (exitCode != 0)
            throw new PipelineException($"`trivy version --format json` exited with code {exitCode}{Tail(error, output)}; check the Trivy installation or --trivy-path.");
        return output;
    }
}
