using Pipelines.Logging;

namespace Pipelines.Scanning;

/// <summary>
/// Runs Trivy's official image through the Docker Engine API when no <c>trivy</c> binary is installed.
/// Implemented over the toolkit's Docker client; a scanner without one fails with install instructions.
/// </summary>
internal interface ITrivyContainerRunner
{
    /// <summary>True when a Docker engine answers; false (not an exception) when there is none.</summary>
    Task<bool> IsAvailableAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates the container, starts it, waits for it to end (stopping it after <see cref="TrivyContainerRun.Timeout"/>,
    /// then throwing <see cref="TimeoutException"/>), collects its logs and removes it.
    /// </summary>
    Task<TrivyContainerResult> RunAsync(TrivyContainerRun run, ILog log, CancellationToken cancellationToken);
}
