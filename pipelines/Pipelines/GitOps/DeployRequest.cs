namespace Pipelines.GitOps;

/// <summary>One image to deploy to one environment of one app.</summary>
/// <param name="Environment">The environment (<c>dev</c>, <c>staging</c>, <c>prod</c>).</param>
/// <param name="App">The app's name, used in the commit message.</param>
/// <param name="Path">The environment's folder inside the repository (<see cref="DefaultPath"/>).</param>
/// <param name="Image">The image to set; its digest should be set.</param>
/// <param name="SourceCommit">The source commit the image was built from (a trailer), if known.</param>
/// <param name="PipelineRun">The URL or id of the pipeline run (a trailer), if known.</param>
public sealed record DeployRequest(
    string Environment,
    string App,
    string Path,
    ImageUpdate Image,
    string? SourceCommit = null,
    string? PipelineRun = null)
{
    /// <summary><c>apps/&lt;app&gt;/overlays/&lt;environment&gt;</c>: where the manifests template keeps an environment.</summary>
    public static string DefaultPath(string app, string environment) => $"apps/{app}/overlays/{environment}";
}
