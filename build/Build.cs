using Pipelines.Targets;

/// <summary>
/// The build: which targets exist, how they chain, and which parameters they take.
/// Each target's body is wiring; the work happens in pipelines/.
/// </summary>
partial class Build : PipelineBuild
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.Test);

    [Parameter("Build configuration for tests and publishing: debug or release")]
    readonly Configuration Configuration = Configuration.Debug;

    [Parameter("Image to sign, verify or deploy, pinned by digest (repository@sha256:…); default: IMAGE_URL@IMAGE_DIGEST from Containerize")]
    readonly string? Image;
}

enum Configuration { Debug, Release }
