using Pipelines.Generators;
using Pipelines.Hosts;
using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>
/// The ready-made composition of every stage: Test → Containerize → Scan → Sign → Deploy → Analyze, with Verify,
/// Promote, Rollback, Generate, TektonRun, RunnerImage, GenerateKey and AddService, and the chat notifications of what a run did, for the services a repository declares. A
/// repository's whole build is a class deriving from it that names itself and lists its services:
/// <code>
/// class Build : GitOpsBuild
/// {
///     public static int Main(string[] args) => Execute&lt;Build&gt;(args, x => x.Deploy);
///     protected override string Name => "orders";
///     protected override IReadOnlyList&lt;Service&gt; Services => [new("orders") { Project = "src/orders/Orders.csproj" }];
/// }
/// </code>
/// Each stage is a component (<see cref="ITest"/>, <see cref="IContainerize"/>, …) that owns its parameters and its
/// target; a build may instead compose only the components it wants (<c>class Build : PipelineBuild, IScan</c>), add a
/// target of its own (<c>.DependentFor&lt;IContainerize&gt;(x => x.Containerize)</c> runs it before Containerize), or
/// replace a component's target (<c>Target IContainerize.Containerize => …</c>).
/// </summary>
public abstract partial class GitOpsBuild : PipelineBuild,
    ITest, IContainerize, IScan, ISign, IVerify, IDeploy, IAnalyze, IPromote, IRollback,
    IGenerate, ITektonRun, IRunnerImage, IGenerateKey, IAddService, INotify
{
    /// <summary>The name the CI files carry: the Tekton Pipeline and Tasks (<c>&lt;name&gt;-…</c>), the ConfigMap <c>&lt;name&gt;-config</c>.</summary>
    protected abstract string Name { get; }

    /// <summary>The deployables of this repository, declared once; checked before any target runs.</summary>
    protected abstract IReadOnlyList<Service> Services { get; }

    /// <summary>Provisions what the tests need before they run (a build's hook; nothing by default).</summary>
    /// <param name="filter">The <c>--test-filter</c>, null for the whole suite.</param>
    /// <param name="cancellationToken">Stops the provisioning.</param>
    protected virtual Task BeforeTestsAsync(string? filter, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What <c>dotnet test</c> runs, relative to the root: by default the one solution (<c>*.sln</c>, <c>*.slnx</c>) in the root.</summary>
    protected virtual string TestSolution => Testing.TestRunOptions.SolutionIn(RootDirectory);

    string IServices.Name => Name;
    IReadOnlyList<Service> IServices.Services => Services;
    Task ITest.BeforeTestsAsync(string? filter, CancellationToken cancellationToken) => BeforeTestsAsync(filter, cancellationToken);
    string ITest.TestSolution => TestSolution;
    CiConfiguration IGenerate.Ci => Ci;

    /// <summary>
    /// Every run checks what its components check (<see cref="IServices.CheckComponents"/>: the services, the committed CI
    /// files, the webhooks) and, on CI, that the settings no local default may stand in for are there, before any target
    /// runs and all together.
    /// </summary>
    void IBuildCheck.BeforeTargets(ExecutionPlan plan, PipelineHost host)
    {
        var problems = new List<string>();
        Check(() => ((IServices)this).CheckComponents(plan, host));
        Check(() => new CiSettingsCheck(Ci).Run(plan, host,
        [
            new CiSetting(ParameterDescriptor.EnvironmentPrefix + "REGISTRY", Component<IRegistryAccess>().Registry,
                Component<IContainerize>().Push ? [nameof(IContainerize.Containerize), nameof(IRunnerImage.RunnerImage)] : [nameof(IRunnerImage.RunnerImage)]),
            new CiSetting(ParameterDescriptor.EnvironmentPrefix + "MANIFESTS_REPO", Component<IManifests>().ManifestsRepo,
                [nameof(IDeploy.Deploy), nameof(IPromote.Promote), nameof(IRollback.Rollback)]),
        ], Ci.Tekton is { } tekton && host is TektonHost ? BuildShape.Of(GetType()).Closure(tekton.Targets, "Tekton").Select(t => t.Name).ToList() : null));
        // A release tag deploys to the Ci's release environment: on CI, one the run's --environments does not know stops here.
        if (!host.IsDeveloperMachine) Check(() => new CiSettingsCheck(Ci).ReleaseEnvironment(Component<IManifests>().Environments));
        if (problems.Count > 0) throw new PipelineException(string.Join(System.Environment.NewLine, problems));

        void Check(Action check)
        {
            try { check(); }
            catch (PipelineException e) { problems.Add(e.Message); }
        }
    }

    /// <summary>This build as one of its components, to read that component's parameters.</summary>
    protected T Component<T>() where T : class => this as T ?? throw new InvalidOperationException($"{GetType().Name} does not implement {typeof(T).Name}.");
}
