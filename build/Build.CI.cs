using Pipelines.Generators;

partial class Build
{
    /// <summary>
    /// How CI runs this build; ./build.sh Generate turns it into .github/workflows/ and tekton/.
    /// Targets, parameters, dependencies and outputs come from the targets themselves: [Secret] parameters
    /// map to GitHub secrets and a Kubernetes Secret, the others to GitHub variables and Tekton params.
    /// </summary>
    static CiConfiguration Ci => new("shortlink")
    {
        GitHubWorkflows =
        [
            // The main line: everything up to the deployment commit that Flux applies.
            new GitHubWorkflow("main")
            {
                PushBranches = ["main"],
                Targets = ["Test"],
                TrivyVersion = "0.74.0",
            },
            // Pull requests: the image is built and scanned, not pushed, so findings show before merge.
            new GitHubWorkflow("pull-request")
            {
                OnPullRequest = true,
                Targets = ["Test"],
                CancelInProgress = true,
                TrivyVersion = "0.74.0",
            },
        ],
        Tekton = new TektonPipeline
        {
            Targets = ["Test"],
            Branch = "main",
            Namespace = "pipelines",
        },
    };
}
