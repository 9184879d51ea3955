namespace Pipelines.GitOps;

/// <summary>One image to deploy to one environment of one app.</summary>
/// <param name="Environment">The environment (<c>dev</c>, <c>staging</c>, <c>prod</c>).</param>
/// <param name="App">The app's name, used in the commit message.</param>
/// <param name="Path">The environment's folder inside the repository (<see cref="DefaultPath"/>).</param>
/// <param name="Image">The image to set; its digest should be set.</param>
/// <param name="SourceCommit">The source commit the image was built from (a trailer), if known.</param>
/// <param name="PipelineRun">The URL or id of the pipeline run (a trailer), if known.</param>
/// <param name="PushBranch">
/// Null: push to the watched branch (a <c>direct</c> environment). Otherwise the branch to push the commit to
/// for a pull request (<see cref="PullRequestBranch"/>); when it exists it is updated on top, never forced.
/// </param>
public sealed record DeployRequest(
    string Environment,
    string App,
    string Path,
    ImageUpdate Image,
    string? SourceCommit = null,
    string? PipelineRun = null,
    string? PushBranch = null)
{
    /// <summary><c>deploy/&lt;environment&gt;/&lt;app&gt;-&lt;short digest&gt;</c>: the branch a pull-request environment's deploy is pushed to.</summary>
    public static string PullRequestBranch(string environment, string app, string digest) =>
        $"deploy/{environment}/{app}-{ManifestsRepository.ShortDigest(digest)}";

    /// <summary><c>apps/&lt;app&gt;/overlays/&lt;environment&gt;</c>: where the manifests template keeps an environment.</summary>
    public static string DefaultPath(string app, string environment) => $"apps/{app}/overlays/{environment}";
}
