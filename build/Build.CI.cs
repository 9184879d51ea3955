using Pipelines.Generators;

partial class Build
{
    /// <summary>
    /// How CI runs this build; ./build.sh Generate turns it into .github/workflows/ and tekton/.
    /// Targets, parameters, dependencies and outputs come from the targets themselves: [Secret] parameters
    /// map to GitHub secrets and a Kubernetes Secret, the others to GitHub variables and Tekton params.
    /// Until Containerize/Scan/Deploy are merged the workflows and the pipeline run Test; then: main → Targets
    /// ["Deploy"] with PushesPackages and SarifFile, pull-request → ["Scan"] with Arguments ["--push", "false"]
    /// and SarifFile, Tekton → ["Deploy"] with DockerTargets ["Containerize"].
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
            // Pull requests: a newer push cancels the older run.
            new GitHubWorkflow("pull-request")
            {
                OnPullRequest = true,
                Targets = ["Test"],
                TrivyVersion = "0.74.0",
                CancelInProgress = true,
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
