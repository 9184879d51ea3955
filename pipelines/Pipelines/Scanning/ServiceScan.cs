using Pipelines.Docker;
using Pipelines.Workspace;
using Pipelines.Logging;

namespace Pipelines.Scanning;

/// <summary>
/// Scan for a build's services: each service's image scanned by digest with Trivy and gated on its findings. A scan is
/// recorded as pending before it starts (one that fails or never finishes leaves "not passed", never an earlier
/// pass), and one service's scan that cannot run fails the whole only after the others had their turn.
/// </summary>
internal sealed class ServiceScan(DockerEngine docker, ILog log)
{
    /// <summary>The SBOM's file name in a service's scan folder.</summary>
    public const string SbomFile = "sbom.cdx.json";

    /// <summary>The state record of a service's last scan (pending until it finishes): whose reports its folder holds.</summary>
    public static string StateKey(string service) => $"{ScanVerdict.StateKey}:{service}";

    /// <summary>Scans every service's image; <paramref name="attestFailure"/> signs a failing verdict of a pushed image where a key is at hand.</summary>
    public async Task<ServiceScanResult> ScanAsync(IReadOnlyList<ServiceScanRequest> services, PipelineState state, Action<string, string> publish,
        Func<ScanVerdict, CancellationToken, Task>? attestFailure, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var results = new List<(string Service, ScanResult Result)>();
        foreach (var service in services)
        {
            var subject = service.Subject;
            if (subject.IsLocal) log.Info($"Scanning the local image {subject.Image} ({subject.Identity}): it was built with --push false.");
            // The folder loses an earlier scan's SBOM, so that Sign never attests another digest's.
            new ScanOutputs(state, publish).MarkPending(subject.Image, subject.Identity, DateTimeOffset.UtcNow);
            state.SetRecord(StateKey(service.Name), new ScanVerdict(subject.Identity, subject.Image, false, SeverityCounts.Zero, null, DateTimeOffset.UtcNow));
            var sbom = Path.Combine(service.Options.OutputDirectory, SbomFile);
            if (File.Exists(sbom)) File.Delete(sbom);

            ScanResult result;
            try
            {
                result = await new TrivyScanner(log, new DockerTrivyRunner(docker)).ScanAsync(service.Options, cancellationToken);
            }
            catch (PipelineException e) when (services.Count > 1)
            {
                failures.Add($"{service.Name}: {e.Message}");
                continue;
            }
            ScanVerdicts.Record(state, result.ToVerdict());
            state.SetRecord(StateKey(service.Name), result.ToVerdict());
            results.Add((service.Name, result));
            if (result.Passed) continue;
            if (!subject.IsLocal && attestFailure is not null) await attestFailure(result.ToVerdict(), cancellationToken);
            failures.Add(services.Count == 1 ? result.FailureMessage! : $"{service.Name}: {result.FailureMessage}");
        }
        if (failures.Count == 0 || results.Count > 0) ScanOutputs.Publish(publish, results, complete: results.Count == services.Count);
        return new ServiceScanResult(results, failures);
    }
}

/// <summary>One service's scan: what is scanned, and Trivy's options (its report folder among them).</summary>
internal sealed record ServiceScanRequest(string Name, ScanSubject Subject, TrivyOptions Options);

/// <summary>The scans that finished, and why the others failed (a finding over the gate, or a scan that could not run).</summary>
internal sealed record ServiceScanResult(IReadOnlyList<(string Service, ScanResult Result)> Results, IReadOnlyList<string> Failures)
{
    /// <summary>Fails the run naming every failure, one a line.</summary>
    public void EnsurePassed()
    {
        if (Failures.Count > 0) throw new PipelineException(string.Join(System.Environment.NewLine, Failures));
    }
}
