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
            // The main line: test, build and push, scan, sign, and commit the digest Flux applies.
            new GitHubWorkflow("main")
            {
                PushBranches = ["main"],
                Targets = ["Deploy"],
                PushesPackages = true,
                SarifFile = "artifacts/scan/trivy.sarif",
                TrivyVersion = "0.74.0",
            },
            // Pull requests: the image is built and scanned, not pushed; a newer push cancels the older run.
            new GitHubWorkflow("pull-request")
            {
                OnPullRequest = true,
                Targets = ["Scan"],
                Arguments = ["--push", "false"],
                SarifFile = "artifacts/scan/trivy.sarif",
                TrivyVersion = "0.74.0",
                CancelInProgress = true,
            },
        ],
        Tekton = new TektonPipeline
        {
            Targets = ["Deploy"],
            DockerTargets = ["Containerize"],
            Branch = "main",
            Namespace = "pipelines",
        },
    };
}
