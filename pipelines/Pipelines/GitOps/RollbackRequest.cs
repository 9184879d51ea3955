namespace Pipelines.GitOps;

/// <summary>
/// Undo the last deploy of an app (or of any of several apps) to an environment. The positional form is one app;
/// <see cref="ForApps"/> names several, and <see cref="Apps"/> lists them for both forms.
/// </summary>
/// <param name="Environment">The environment to roll back.</param>
/// <param name="App">The app, as named in deploy commits.</param>
/// <param name="Path">The environment's folder inside the repository.</param>
/// <param name="PipelineRun">The URL or id of the pipeline run (a trailer), if known.</param>
internal sealed record RollbackRequest(string Environment, string App, string Path, string? PipelineRun = null)
{
    private readonly IReadOnlyList<AppPath>? _apps;

    /// <summary>Every app of the rollback: one entry (<see cref="App"/>, <see cref="Path"/>) for a single-app request.</summary>
    public IReadOnlyList<AppPath> Apps
    {
        get => _apps ?? [new AppPath(App, Path)];
        private init => _apps = value;
    }

    /// <summary>
    /// The digests the environment must still run for the rollback to act (the release that was judged); null reverts
    /// the last deploy whatever it set (the Rollback target). When the environment runs something else, nothing is reverted.
    /// </summary>
    public IReadOnlyList<ExpectedImage>? Expected { get; init; }

    /// <summary>
    /// The deploy commit that was judged, when known (Deploy's <c>DEPLOY_COMMIT</c>): when it is a deploy of these apps,
    /// the rollback reverts exactly it and refuses if a later deploy came on top.
    /// </summary>
    public string? DeployCommit { get; init; }

    /// <summary>
    /// A rollback of <paramref name="environment"/> for several apps: the last deploy commit of any of them that touched
    /// any of their paths is reverted, whole (a commit that deployed several apps is undone for all of them at once).
    /// </summary>
    /// <exception cref="PipelineException">No apps, or an app named twice.</exception>
    public static RollbackRequest ForApps(string environment, IReadOnlyList<AppPath> apps, string? pipelineRun = null)
    {
        if (apps.Count == 0)
            throw new PipelineException($"A rollback of {environment} needs at least one app; none was given.");
        var twice = apps.GroupBy(a => a.App, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
            throw new PipelineException($"A rollback of {environment} names {string.Join(", ", twice)} more than once; name each app once.");
        var request = new RollbackRequest(environment, apps[0].App, apps[0].Path, pipelineRun);
        return apps.Count == 1 ? request : request with { Apps = [.. apps] };
    }
}
