using Pipelines.Logging;
using Pipelines.Targets;

namespace Pipelines.Tests.Targets;

public enum Flavour { Plain, Spicy }

/// <summary>A build used by the engine tests: records what ran, and can be told to fail.</summary>
public sealed class TestBuild : PipelineBuild
{
    public readonly List<string> Ran = [];

    [Parameter("Where images go")]
    public readonly string Registry = "127.0.0.1:5000";

    [Parameter("Whether to push")]
    public readonly bool Push = true;

    [Parameter("How many rounds")]
    public readonly int Rounds = 1;

    [Parameter("A choice")]
    public readonly Flavour Flavour = Flavour.Plain;

    [Parameter("A list")]
    public readonly string[] BuildArgs = [];

    [Parameter("A duration")]
    public readonly TimeSpan ScanTimeout = TimeSpan.FromMinutes(5);

    [Parameter("A password"), Secret]
    public readonly string? RegistryPassword;

    [Parameter("A token with an ecosystem name", EnvironmentAlias = "GITHUB_TOKEN"), Secret]
    public readonly string? GithubToken;

    [Parameter("Fail this target")]
    public readonly string? FailIn;

    [Parameter("Print this text from Containerize")]
    public readonly string? Say;

    public Target Test => _ => _
        .Description("Runs tests")
        .Executes(context => Run(context));

    public Target Containerize => _ => _
        .DependsOn(Test)
        .Produces("IMAGE_URL", "IMAGE_DIGEST")
        .Executes(context =>
        {
            Run(context);
            if (Say is not null) context.Log.Write(LogLevel.Info, Say);
            context.Publish("IMAGE_URL", $"{Registry}/app:1");
            context.Publish("IMAGE_DIGEST", "sha256:" + new string('a', 64));
            context.Note("Digest", "sha256:aaaa");
        });

    public Target Scan => _ => _
        .DependsOn(Containerize)
        .OnlyWhen(() => Push)
        .Executes(context => Run(context));

    public Target Sign => _ => _
        .DependsOn(Scan)
        .Requires(() => RegistryPassword)
        .Executes(context => Run(context));

    public Target Deploy => _ => _
        .DependsOn(Sign)
        .Executes(context => Run(context));

    public Target Lint => _ => _
        .After(Test)
        .Executes(context => Run(context));

    public Target Wait => _ => _
        .Executes(async context =>
        {
            Ran.Add("Wait");
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        });

    private void Run(TargetContext context)
    {
        Ran.Add(context.Target);
        if (string.Equals(FailIn, context.Target, StringComparison.OrdinalIgnoreCase))
            throw new PipelineException($"{context.Target} was told to fail.");
    }
}
