namespace Pipelines.GitOps;

/// <summary>What a deploy left in the manifests repository.</summary>
/// <param name="Commit">The pushed commit, or (when <paramref name="AlreadyDeployed"/>) the head that already held the image.</param>
/// <param name="Environment">The environment deployed to.</param>
/// <param name="ChangedFiles">Files changed by the commit, relative to the repository root.</param>
/// <param name="AlreadyDeployed">True when the files already held the image: nothing was committed.</param>
/// <param name="Attempts">How many pushes it took (more than one when another pipeline pushed meanwhile).</param>
/// <param name="Branch">The branch that holds <paramref name="Commit"/> (the watched branch, or a pull-request branch).</param>
internal sealed record DeployedRevision(
    string Commit,
    string Environment,
    IReadOnlyList<string> ChangedFiles,
    bool AlreadyDeployed,
    int Attempts = 1,
    string? Branch = null)
{
    /// <summary>True when the run was stopped (Ctrl-C, SIGTERM) while pushing, and the remote was found to hold <see cref="Commit"/>.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The apps whose image the commit set (empty when <see cref="AlreadyDeployed"/>, and for a rollback).</summary>
    public IReadOnlyList<string> Apps { get; init; } = [];

    /// <summary>
    /// Why a guarded rollback changed nothing (the environment no longer runs the judged release, or a later deploy
    /// came on top of it); null when it committed. <see cref="Commit"/> is then the head it looked at.
    /// </summary>
    public string? Declined { get; init; }

    /// <summary>The apps of the deploy whose folder already held their image, left out of the commit.</summary>
    public IReadOnlyList<string> UpToDateApps { get; init; } = [];

    /// <summary>
    /// One line for the log and the summary. A deploy of several apps adds which apps the commit set and which
    /// were already current; a single app's line is as it always was.
    /// </summary>
    public string Describe() => Declined is { } declined ? declined : (AlreadyDeployed
        ? $"already deployed at {Commit}"
        : Interrupted
            ? $"deployed at {Commit} (interrupted after the push){(Branch is null ? "" : " on " + Branch)}"
            : $"deployed to {Environment} at {Commit}{(Branch is null ? "" : " on " + Branch)} ({string.Join(", ", ChangedFiles)})")
        + DescribeApps();

    private string DescribeApps()
    {
        if (Apps.Count + UpToDateApps.Count <= 1) return "";
        var parts = new List<string>();
        if (Apps.Count > 0) parts.Add("set " + string.Join(", ", Apps));
        if (UpToDateApps.Count > 0) parts.Add("already current " + string.Join(", ", UpToDateApps));
        return " [" + string.Join("; ", parts) + "]";
    }
}
