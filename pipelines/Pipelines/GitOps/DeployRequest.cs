using System.Security.Cryptography;
using System.Text;

namespace Pipelines.GitOps;

/// <summary>
/// The images to deploy to one environment, in one commit. The positional form is one app (<paramref name="App"/>,
/// <paramref name="Path"/>, <paramref name="Image"/>); <see cref="ForApps"/> makes a request for several apps, whose
/// <see cref="Apps"/> list them all (and whose positional App/Path/Image are the first app's, for logs only).
/// Code that handles both reads <see cref="Apps"/>: for a single-app request it is that one app.
/// </summary>
/// <param name="Environment">The environment (<c>dev</c>, <c>staging</c>, <c>prod</c>).</param>
/// <param name="App">The app's name, used in the commit message.</param>
/// <param name="Path">The environment's folder inside the repository (<see cref="DefaultPath"/>).</param>
/// <param name="Image">The image to set; its digest should be set.</param>
/// <param name="SourceCommit">The source commit the image was built from (a trailer), if known.</param>
/// <param name="PipelineRun">The URL or id of the pipeline run (a trailer), if known.</param>
/// <param name="PushBranch">
/// Null: push to the watched branch (a <c>direct</c> environment). Otherwise the branch to push the commit to
/// for a pull request (<see cref="PullRequestBranch(string, string, string)"/>); when it exists it is updated on top, never forced.
/// </param>
internal sealed record DeployRequest(
    string Environment,
    string App,
    string Path,
    ImageUpdate Image,
    string? SourceCommit = null,
    string? PipelineRun = null,
    string? PushBranch = null)
{
    private readonly IReadOnlyList<AppImage>? _apps;

    /// <summary>
    /// Every app of the deploy, in the order given: one entry (<see cref="App"/>, <see cref="Path"/>, <see cref="Image"/>)
    /// for a single-app request, or the list given to <see cref="ForApps"/>.
    /// </summary>
    public IReadOnlyList<AppImage> Apps
    {
        get => _apps ?? [new AppImage(App, Path, Image)];
        private init => _apps = value;
    }

    /// <summary>True when the request names more than one app (one commit for all, one pull request for all).</summary>
    public bool IsMultiApp => Apps.Count > 1;

    /// <summary>
    /// A deploy of several apps to <paramref name="environment"/> in one commit (one branch and one pull request in a
    /// pull-request environment). One app gives exactly the single-app request. Apps already at their image are left
    /// out of the commit; nothing changes when all are.
    /// </summary>
    /// <exception cref="PipelineException">No apps, or an app named twice.</exception>
    public static DeployRequest ForApps(
        string environment, IReadOnlyList<AppImage> apps, string? sourceCommit = null, string? pipelineRun = null, string? pushBranch = null)
    {
        if (apps.Count == 0)
            throw new PipelineException($"A deploy to {environment} needs at least one app; none was given.");
        var twice = apps.GroupBy(a => a.App, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
            throw new PipelineException($"A deploy to {environment} names {string.Join(", ", twice)} more than once; name each app once.");
        var first = apps[0];
        var request = new DeployRequest(environment, first.App, first.Path, first.Image, sourceCommit, pipelineRun, pushBranch);
        return apps.Count == 1 ? request : request with { Apps = [.. apps] };
    }

    /// <summary><c>deploy/&lt;environment&gt;/&lt;app&gt;-&lt;short digest&gt;</c>: the branch a pull-request environment's deploy is pushed to.</summary>
    public static string PullRequestBranch(string environment, string app, string digest) =>
        $"deploy/{environment}/{app}-{ManifestsRepository.ShortDigest(digest)}";

    /// <summary>
    /// The deploy branch of this request: for one app <see cref="PullRequestBranch(string, string, string)"/>; for several
    /// <c>deploy/&lt;environment&gt;/&lt;app1&gt;+&lt;app2&gt;…-&lt;hash&gt;</c>, the apps sorted by name and the hash the first
    /// 12 hex digits of the SHA-256 of their <c>app@digest</c> lines: the same set of apps and digests, the same branch.
    /// </summary>
    public string PullRequestBranch()
    {
        if (!IsMultiApp) return PullRequestBranch(Environment, App, Image.Digest ?? "");
        var sorted = Apps.OrderBy(a => a.App, StringComparer.Ordinal).ToList();
        var lines = string.Concat(sorted.Select(a => $"{a.App}@{a.Image.Digest}\n"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines)))[..12];
        return PullRequestBranchPrefix() + hash;
    }

    /// <summary>
    /// <c>deploy/&lt;environment&gt;/&lt;apps&gt;-</c>: what every deploy branch of this environment and this set of apps
    /// starts with (the apps sorted and joined with <c>+</c>); an open pull request on such a branch is updated.
    /// </summary>
    public string PullRequestBranchPrefix() =>
        $"deploy/{Environment}/{string.Join('+', Apps.Select(a => a.App).Order(StringComparer.Ordinal))}-";

    /// <summary><c>apps/&lt;app&gt;/overlays/&lt;environment&gt;</c>: where the manifests template keeps an environment.</summary>
    public static string DefaultPath(string app, string environment) => $"apps/{app}/overlays/{environment}";
}
