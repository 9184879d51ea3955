using Pipelines.Generators;

partial class Build
{
    /// <summary>
    /// How CI runs this build; ./build.sh Generate turns it into .github/workflows/ and tekton/.
    /// Targets, parameters, dependencies and outputs come from the targets themselves: [Secret] parameters
    /// map to GitHub secrets and a Kubernetes Secret, the others to GitHub variables and Tekton params.
    /// </summary>
    /// <summary>What the tests need on a runner (a registry binary, npm validators): the same script .ci/run uses.</summary>
    const string Prerequisites = "bash .ci/prerequisites\necho \"$PWD/.ci/node/node_modules/.bin\" >> \"$GITHUB_PATH\"\n";

    static CiConfiguration Ci => new("shortlink")
    {
        GitHubWorkflows =
        [
            // The main line: test, build and push, scan, sign, commit the digest Flux applies, and verify the release
            // against its SLOs where PROMETHEUS_URL is configured (Analyze is skipped otherwise).
            new GitHubWorkflow("main")
            {
                PushBranches = ["main"],
                Targets = ["Deploy", "Analyze"],
                PushesPackages = true,
                SarifFile = "artifacts/scan/trivy.sarif",
                TrivyVersion = "0.74.0",
                SetupRun = Prerequisites,
            },
            // Pull requests: the image is built and scanned, not pushed; a newer push cancels the older run.
            new GitHubWorkflow("pull-request")
            {
                OnPullRequest = true,
                Targets = ["Scan"],
                Arguments = ["--push", "false"],
                SarifFile = "artifacts/scan/trivy.sarif",
                TrivyVersion = "0.74.0",
                SetupRun = Prerequisites,
                CancelInProgress = true,
            },
        ],
        Tekton = new TektonPipeline
        {
            Targets = ["Deploy", "Analyze"],
            // The tests build images and run a registry: the Test task gets the Docker sidecar too.
            DockerTargets = ["Test", "Containerize"],
            RunnerPackages = ["docker-registry", "apache2-utils", "npm", "prometheus"],
            RunnerNpmTools = ["@action-validator/cli@0.6.0", "@ibm/tekton-lint@1.1.0"],
            Branch = "main",
            Namespace = "pipelines",
        },
    };
}
