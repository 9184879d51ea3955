namespace Pipelines.GitOps;

/// <summary>How a deploy reaches an environment's branch.</summary>
internal enum DeployMode
{
    /// <summary>Commit and push to the branch Flux watches.</summary>
    Direct,
    /// <summary>Push a <c>deploy/&lt;env&gt;/&lt;app&gt;-&lt;digest&gt;</c> branch and open a pull request.</summary>
    PullRequest,
}
