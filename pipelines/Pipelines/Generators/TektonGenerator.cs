namespace Pipelines.Generators;

/// <summary>
/// Writes <c>tekton/</c>: one Task per target of the declared pipeline, an own git-clone Task, a Pipeline
/// chaining the Tasks by the targets' dependencies, a finally Task posting the commit status, Triggers
/// for GitHub pushes, least-privilege RBAC, a kustomization and the runner image's Dockerfile.
/// </summary>
internal sealed partial class TektonGenerator
{
    private const string Workspace = "source";
    private const string FetchTask = "fetch-source";
    private const string StatusTask = "report-status";

    private readonly BuildShape _build;
    private readonly CiConfiguration _configuration;
    private readonly TektonPipeline _pipeline;
    private readonly string _dotnetSdkVersion;
    private readonly IReadOnlyList<TargetShape> _targets;

    /// <param name="dotnetSdkVersion">The SDK the runner image carries: <c>global.json</c>'s version.</param>
    public TektonGenerator(BuildShape build, CiConfiguration configuration, string dotnetSdkVersion)
    {
        _build = build;
        _configuration = configuration;
        _pipeline = configuration.Tekton ?? throw new ArgumentException("The configuration declares no Tekton pipeline.", nameof(configuration));
        _dotnetSdkVersion = dotnetSdkVersion;
        _targets = build.Closure(_pipeline.Targets, $"The Tekton pipeline in {CiConfiguration.Where}");
        foreach (var docker in _pipeline.DockerTargets)
            if (!_targets.Any(t => t.Name.Equals(docker, StringComparison.OrdinalIgnoreCase)))
                throw new PipelineException($"The Tekton pipeline's DockerTargets names {docker}, which the pipeline does not run; valid: {string.Join(", ", _targets.Select(t => t.Name))}.");
        foreach (var parameter in build.Parameters)
            if (PipelineOwnParameters.Contains(parameter.CliName))
                throw new PipelineException($"Build parameter --{parameter.CliName} clashes with the Tekton pipeline's own parameter of that name; rename the parameter.");
        if (string.IsNullOrWhiteSpace(_pipeline.RunnerImage))
            throw new PipelineException($"The Tekton pipeline names no runner image: {CiConfiguration.RunnerImageFix}.");
        var valid = string.Join(", ", build.Parameters.Where(p => !p.IsSecret).Select(p => p.MemberName));
        foreach (var setting in _pipeline.Settings.Keys)
            if (!build.Parameters.Any(p => p.MemberName == setting && !p.IsSecret))
                throw new PipelineException($"The Tekton Settings in {CiConfiguration.Where} name {setting}, which is not a non-secret parameter (secrets go to the {SecretsName} Secret); valid: {valid}.");
        foreach (var excluded in _pipeline.ExcludedParameters)
            if (!build.Parameters.Any(p => p.MemberName == excluded))
                throw new PipelineException($"The Tekton pipeline in {CiConfiguration.Where} excludes parameter {excluded}, which the build does not declare; valid: {valid}.");
        foreach (var cache in _pipeline.Caches)
        {
            if (cache.EnvironmentVariable is null && !build.Parameters.Any(p => p.MemberName == cache.Parameter && !p.IsSecret))
                throw new PipelineException($"The Tekton cache {cache.Name} in {CiConfiguration.Where} names parameter {cache.Parameter}, which is not a non-secret parameter; valid: {valid}.");
            foreach (var target in cache.Targets)
                if (!_targets.Any(t => t.Name.Equals(target, StringComparison.OrdinalIgnoreCase)))
                    throw new PipelineException($"The Tekton cache {cache.Name} names target {target}, which the pipeline does not run; valid: {string.Join(", ", _targets.Select(t => t.Name))}.");
        }
        _secrets = TargetSecretMap.For(build, configuration);
        _manualTargets = ManualTargetsOf(build, _pipeline, _targets);
    }

    private readonly TargetSecretMap _secrets;

    private string Name => _configuration.Name;

    private string TaskName(string suffix) => $"{Name}-{suffix}";

    private static readonly string[] PipelineOwnParameters = ["git-url", "git-revision", "github-repository", "dind-image", "curl-image"];

    /// <summary>The ConfigMap every Task reads its settings from.</summary>
    public string ConfigMapName => TaskName("config");

    /// <summary>Produces the Tekton Pipeline, Tasks and related resources for the configured build.</summary>
    public IEnumerable<GeneratedFile> Generate()
    {
        var files = new List<GeneratedFile>
        {
            File("tekton/namespace.yaml", NamespaceDocument()),
            File("tekton/rbac.yaml", RbacDocuments()),
            File("tekton/config.yaml", ConfigMapDocument()),
            File($"tekton/tasks/{TaskName("git-clone")}.yaml", GitCloneTask()),
        };
        files.AddRange(_targets.Select(t => File($"tekton/tasks/{TaskName(t.KebabName)}.yaml", TargetTask(t))));
        files.AddRange(_manualTargets.Select(t => File($"tekton/tasks/{TaskName(t.KebabName)}.yaml", TargetTask(t))));
        files.Add(File($"tekton/tasks/{TaskName(StatusTask)}.yaml", ReportStatusTask()));
        files.Add(File("tekton/pipeline.yaml", PipelineDocument()));
        files.Add(File("tekton/triggers.yaml", TriggerDocuments()));
        files.AddRange(_manualTargets.Select(t => File($"tekton/{t.KebabName}.yaml", ManualPipeline(t), ManualTriggerTemplate(t))));
        if (_pipeline.Caches.Count > 0) files.Add(File("tekton/caches.yaml", CacheClaims()));
        files.Add(new GeneratedFile("tekton/runner/Dockerfile", RunnerDockerfile()));
        files.Insert(0, File("tekton/kustomization.yaml", Kustomization(files.Where(f => f.RelativePath.EndsWith(".yaml")).Select(f => f.RelativePath["tekton/".Length..]))));
        return files;
    }

    private GeneratedFile File(string path, params YamlMap[] documents) =>
        new(path, YamlWriter.Write(GeneratedHeader.Lines(_configuration), documents));

    private YamlMap Kustomization(IEnumerable<string> resources) => new()
    {
        ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
        ["kind"] = "Kustomization",
        ["namespace"] = _pipeline.Namespace,
        ["resources"] = resources.ToList(),
    };

    private YamlMap NamespaceDocument() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new YamlMap { ["name"] = _pipeline.Namespace },
    };

    /// <summary>Catalog metadata (labels and annotations the Tekton catalog asks for).</summary>
    private YamlMap Metadata(string name, string displayName) => new()
    {
        ["name"] = name,
        ["labels"] = new YamlMap
        {
            ["app.kubernetes.io/version"] = _pipeline.Version,
            ["app.kubernetes.io/part-of"] = Name,
        },
        ["annotations"] = new YamlMap
        {
            ["tekton.dev/pipelines.minVersion"] = _pipeline.MinPipelinesVersion,
            ["tekton.dev/categories"] = _pipeline.Categories,
            ["tekton.dev/tags"] = _pipeline.Tags,
            ["tekton.dev/displayName"] = displayName,
            ["tekton.dev/platforms"] = "linux/amd64",
        },
    };

    private YamlMap PipelineDocument()
    {
        var parameters = new List<YamlMap>
        {
            Param("git-url", "The repository to clone.", null),
            Param("git-revision", "The commit (or branch) to build.", _pipeline.Branch),
            Param("github-repository", "owner/name on GitHub for the commit status; empty: no status is posted.", ""),
        };
        if (_pipeline.DockerTargets.Count > 0) parameters.Add(Param("dind-image", DindImageDescription, _pipeline.DindImage));
        parameters.Add(Param("curl-image", CurlImageDescription, _pipeline.StatusImage));
        parameters.AddRange(PlainParameters.Select(p => Param(p.CliName, ParamDescription(p), "")));

        var tasks = new List<YamlMap> { FetchPipelineTask() };
        foreach (var target in _targets)
        {
            var after = target.DependsOn.Count == 0 ? [FetchTask] : target.DependsOn.Select(d => _build.Target(d).KebabName).ToList();
            var taskParams = PlainParameters.Select(p => Value(p.CliName, $"$(params.{p.CliName})")).ToList();
            if (IsDocker(target)) taskParams.Insert(0, Value("dind-image", "$(params.dind-image)"));
            var workspaces = new List<YamlMap> { new() { ["name"] = Workspace, ["workspace"] = Workspace } };
            workspaces.AddRange(CachesOf(target).Select(c => new YamlMap { ["name"] = c.Name, ["workspace"] = c.Name }));
            tasks.Add(new YamlMap
            {
                ["name"] = target.KebabName,
                ["runAfter"] = after,
                ["taskRef"] = new YamlMap { ["name"] = TaskName(target.KebabName) },
                ["params"] = taskParams.Count == 0 ? null : taskParams,
                ["workspaces"] = workspaces,
            });
        }
        var pipelineWorkspaces = new List<YamlMap> { new() { ["name"] = Workspace, ["description"] = "Holds the checkout and the build's state file between Tasks." } };
        pipelineWorkspaces.AddRange(_pipeline.Caches.Select(c => new YamlMap { ["name"] = c.Name, ["description"] = $"Kept between runs for {string.Join(", ", c.Targets)} ({c.Parameter}); unbound: no cache.", ["optional"] = true }));

        var spec = new YamlMap
        {
            ["description"] = $"Runs {string.Join(" → ", _targets.Select(t => t.Name))} as generated from the build, one Task per target on a shared workspace.",
            ["params"] = parameters,
            ["workspaces"] = pipelineWorkspaces,
            ["results"] = PipelineResults(),
            ["tasks"] = tasks,
            ["finally"] = new List<YamlMap>
            {
                new()
                {
                    ["name"] = StatusTask,
                    ["taskRef"] = new YamlMap { ["name"] = TaskName(StatusTask) },
                    ["params"] = new List<YamlMap?>
                    {
                        Value("state", "$(tasks.status)"),
                        Value("repository", "$(params.github-repository)"),
                        // The revision asked for, not the clone's result: a failed clone must still be reported.
                        // Triggers and TektonRun pass the pushed commit's SHA.
                        Value("revision", "$(params.git-revision)"),
                        Value("pipeline-run", "$(context.pipelineRun.name)"),
                        Value("curl-image", "$(params.curl-image)"),
                        // GitHub Enterprise gets its statuses where the build's own --github-api-url points.
                        PlainParameters.Any(p => p.CliName == "github-api-url") ? Value("github-api-url", "$(params.github-api-url)") : null,
                    }.OfType<YamlMap>().ToList(),
                },
            },
        };
        return new YamlMap
        {
            ["apiVersion"] = "tekton.dev/v1",
            ["kind"] = "Pipeline",
            ["metadata"] = Metadata(Name, $"{Name} pipeline"),
            ["spec"] = spec,
        };
    }

    /// <summary>The Pipeline task that clones the source onto the workspace: the first of every generated Pipeline.</summary>
    /// <remarks>
    /// <paramref name="configuredUrl"/>: no url param, so the clone Task takes the ConfigMap's <see cref="RepositoryUrlKey"/> and
    /// whoever creates a PipelineRun of this Pipeline cannot have it build another repository with the namespace's secrets.
    /// </remarks>
    private YamlMap FetchPipelineTask(bool configuredUrl = false) => new()
    {
        ["name"] = FetchTask,
        ["taskRef"] = new YamlMap { ["name"] = TaskName("git-clone") },
        ["params"] = configuredUrl
            ? new List<YamlMap> { Value("revision", "$(params.git-revision)") }
            : new List<YamlMap> { Value("url", "$(params.git-url)"), Value("revision", "$(params.git-revision)") },
        ["workspaces"] = new List<YamlMap> { new() { ["name"] = "output", ["workspace"] = Workspace } },
    };

    /// <summary>
    /// Every target output becomes a Pipeline result, so Tekton Chains sees <c>IMAGE_URL</c>/<c>IMAGE_DIGEST</c>
    /// at the PipelineRun level too. A name two targets publish is prefixed with the task name.
    /// </summary>
    private List<YamlMap> PipelineResults()
    {
        var outputs = _targets.SelectMany(t => t.Outputs.Select(o => (Target: t, Output: o))).ToList();
        // Chains' type hints for the source: provenance names the repository and commit built.
        var results = new List<YamlMap>
        {
            new() { ["name"] = "CHAINS-GIT_URL", ["description"] = "The repository built.", ["value"] = $"$(tasks.{FetchTask}.results.url)" },
            new() { ["name"] = "CHAINS-GIT_COMMIT", ["description"] = "The commit built.", ["value"] = $"$(tasks.{FetchTask}.results.commit)" },
        };
        results.AddRange(outputs.Select(x => new YamlMap
        {
            ["name"] = outputs.Count(y => y.Output == x.Output) > 1 ? $"{x.Target.KebabName}-{x.Output}" : x.Output,
            ["description"] = $"{x.Output} published by {x.Target.Name}.",
            ["value"] = $"$(tasks.{x.Target.KebabName}.results.{x.Output})",
        }));
        return results;
    }

    /// <summary>Parameters that are Pipeline and Task params: not secret, not in the ConfigMap, not a cache folder.</summary>
    private IReadOnlyList<ParameterShape> PlainParameters => _build.Parameters
        .Where(p => !p.IsSecret && !_pipeline.Settings.ContainsKey(p.MemberName) && !_pipeline.Caches.Any(c => c.Parameter == p.MemberName)
                    && !_pipeline.ExcludedParameters.Contains(p.MemberName))
        .ToList();

    private bool IsDocker(TargetShape target) => _pipeline.DockerTargets.Contains(target.Name, StringComparer.OrdinalIgnoreCase);

    private IEnumerable<TektonCache> CachesOf(TargetShape target) =>
        _pipeline.Caches.Where(c => c.Targets.Contains(target.Name, StringComparer.OrdinalIgnoreCase));

    private const string DindImageDescription = "The Docker-in-Docker sidecar image, pinned by digest (a mirror such as ACR EE where Docker Hub is out of reach).";

    private const string CurlImageDescription = "The image that posts the commit status (sh and curl), pinned by digest; default the runner image, so a cluster that cannot reach Docker Hub mirrors one image.";

    private static string ParamDescription(ParameterShape parameter) =>
        $"{parameter.Description} ({parameter.TypeName}; empty: the build's default{(parameter.DefaultText is { } d ? $", {d}" : "")})";

    private static YamlMap Param(string name, string description, string? defaultValue) => new()
    {
        ["name"] = name,
        ["type"] = "string",
        ["description"] = description,
        ["default"] = defaultValue,
    };

    private static YamlMap Value(string name, string value) => new() { ["name"] = name, ["value"] = value };
}
