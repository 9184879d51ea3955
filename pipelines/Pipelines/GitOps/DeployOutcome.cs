using Pipelines.GitHub;
using Pipelines.Kubernetes;

namespace Pipelines.GitOps;

/// <summary>What a deploy did.</summary>
internal sealed record DeployOutcome(DeployedRevision Revision, PullRequest? PullRequest, FluxApplied? Flux)
{
    /// <summary>What went wrong without failing the deploy (a Flux receiver that could not be poked): warning rows of the summary.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// One line for the log and summary: the revision (for several apps, which the commit set and which were already
    /// current: <see cref="DeployedRevision.Apps"/>, <see cref="DeployedRevision.UpToDateApps"/>), the pull request and when Flux applied it.
    /// </summary>
    public string Describe() =>
        Revision.Describe()
        + (PullRequest is null ? "" : $"; pull request #{PullRequest.Number} {PullRequest.HtmlUrl}")
        + (Flux is null ? "" : $"; Flux applied {Flux.Revision} after {Durations.Format(Flux.Elapsed)}");
}
