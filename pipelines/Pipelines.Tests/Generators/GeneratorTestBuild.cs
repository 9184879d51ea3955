using System.Security.Cryptography;
using System.Text;
using Pipelines.Generators;
using Pipelines.Targets;

namespace Pipelines.Tests.Generators;

/// <summary>
/// A build with the product's real target chain (Test → Containerize → Scan → Sign → Deploy), its outputs and a
/// few parameters including secrets. The target bodies are cheap stand-ins that publish deterministic outputs and
/// read earlier ones back from the state file, like the real targets do across Tekton Tasks.
/// </summary>
internal sealed class GeneratorTestBuild : PipelineBuild
{
    [Parameter("Registry the image is pushed to")]
    readonly string Registry = "127.0.0.1:5000";

    [Parameter("Push the image (false: build and scan only)")]
    readonly bool Push = true;

    [Parameter("Fail the scan at this severity or above")]
    readonly string SeverityThreshold = "HIGH";

    [Parameter("Password for the registry"), Secret]
    readonly string? RegistryPassword;

    [Parameter("Password of the signing key"), Secret]
    readonly string? SigningKeyPassword;

    [Parameter("Token for the manifests repository"), Secret]
    readonly string? GitToken;

    [Parameter("Trivy's cache folder")]
    readonly string TrivyCacheDir = ".cache/trivy";

    /// <summary>The runner image the test configuration pins (a made-up digest: the generator only checks its form).</summary>
    public const string PinnedRunner = "registry.example.test/acme/pipeline-runner@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public Target Test => _ => _
        .Description("Runs the tests")
        .Executes(context => context.Note("Tests", "1 passed"));

    public Target Containerize => _ => _
        .DependsOn(Test)
        .Description("Builds the image and pushes it")
        .Requires(() => RegistryPassword)
        .Produces("IMAGE_URL", "IMAGE_DIGEST")
        .Executes(context =>
        {
            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Registry}|{Push}")));
            context.Publish("IMAGE_URL", $"{Registry}/demo");
            context.Publish("IMAGE_DIGEST", digest);
        });

    public Target Scan => _ => _
        .DependsOn(Containerize)
        .Description("Scans the image")
        .Executes(context =>
        {
            var digest = context.State.Get("IMAGE_DIGEST") ?? throw new PipelineException("Scan needs IMAGE_DIGEST from Containerize.");
            context.Note("Scanned", $"{digest} at {SeverityThreshold}");
        });

    public Target Sign => _ => _
        .DependsOn(Scan)
        .Description("Signs the image")
        .Produces("SIGNATURE_DIGEST")
        .Executes(context =>
        {
            var digest = context.State.Get("IMAGE_DIGEST") ?? throw new PipelineException("Sign needs IMAGE_DIGEST.");
            context.Publish("SIGNATURE_DIGEST", "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(digest + "|signed"))));
        });

    public Target Deploy => _ => _
        .DependsOn(Sign)
        .Description("Commits the digest to the manifests repository")
        .Produces("MANIFESTS_COMMIT")
        .Executes(context =>
        {
            var digest = context.State.Get("IMAGE_DIGEST") ?? throw new PipelineException("Deploy needs IMAGE_DIGEST.");
            context.Publish("MANIFESTS_COMMIT", Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(digest))));
        });

    /// <summary>The declaration the product's build/Build.CI.cs makes once all targets exist.</summary>
    public static CiConfiguration Ci => new("demo")
    {
        TargetSecrets = new Dictionary<string, IReadOnlyList<string>>
        {
            ["Containerize"] = ["RegistryPassword"],
            ["Sign"] = ["RegistryPassword", "SigningKeyPassword"],
            ["Deploy"] = ["GitToken"],
        },
        GitHubWorkflows =
        [
            new GitHubWorkflow("deploy")
            {
                PushBranches = ["main"],
                Targets = ["Deploy"],
                TestTargets = ["Test"],
                Environment = "production",
                RequiredVariables = ["Registry"],
                TrivyCachePath = ".cache/trivy",
                PushesPackages = true,
                SecretNames = new Dictionary<string, string> { ["PIPELINE_REGISTRY_PASSWORD"] = "GITHUB_TOKEN" },
                SarifFile = "artifacts/scan/trivy.sarif",
                TrivyVersion = "0.74.0",
            },
            new GitHubWorkflow("pull-request")
            {
                OnPullRequest = true,
                Targets = ["Scan"],
                Arguments = ["--push", "false"],
                TrivyVersion = "0.74.0",
                CancelInProgress = true,
            },
        ],
        Tekton = new TektonPipeline
        {
            Targets = ["Deploy"],
            DockerTargets = ["Containerize"],
            Namespace = "demo-ci",
            RunnerImage = PinnedRunner,
            CloneTokenParameter = "GitToken",
            Settings = new Dictionary<string, string> { ["Registry"] = "registry.example.test/acme" },
            StorageClass = "alicloud-disk-topology-alltype",
            Caches = [new TektonCache("trivy-cache", "TrivyCacheDir", ["Scan"])],
        },
    };
}
