using System.Diagnostics;
using Pipelines.Hosts;
using Pipelines.Logging;
using Pipelines.Workspace;

namespace Pipelines.Targets;

/// <summary>Parses the command line, binds parameters, plans, runs the targets and prints the summary.</summary>
internal sealed class BuildRunner
{
    /// <summary>Exit code: every target succeeded or was skipped.</summary>
    public const int Success = 0;
    /// <summary>Exit code: a target failed.</summary>
    public const int Failure = 1;
    /// <summary>Exit code: the command line or a parameter was invalid.</summary>
    public const int UsageError = 2;
    /// <summary>Exit code: the run was cancelled (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    private readonly PipelineBuild _build;
    private readonly string _defaultTarget;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly IReadOnlyDictionary<string, string> _environment;

    /// <summary>Takes the build, its default target, where output and errors go, and the environment parameters are read from.</summary>
    public BuildRunner(PipelineBuild build, string defaultTarget, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string> environment)
    {
        _build = build;
        _defaultTarget = defaultTarget;
        _output = output;
        _error = error;
        _environment = environment;
    }

    /// <summary>Set by tests to pin the host instead of detecting it.</summary>
    public PipelineHost? Host { get; init; }

    /// <summary>Parses the arguments, plans and runs the targets, and returns the process exit code.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var verbose = args.Contains("--verbose") || args.Contains("-v");
        var parameters = ParameterDescriptor.Discover(_build.GetType());
        PipelineHost? host = Host;
        try
        {
            if (_environment.GetValueOrDefault(PipelineBuild.RootVariable) is { Length: > 0 } root && !PipelineBuild.IsRepositoryRoot(root))
                throw new PipelineException($"{PipelineBuild.RootVariable}={root} holds no build/Build.csproj: unset it, or point it at the repository build.sh lives in.");
            var invocation = Invocation.Parse(args, parameters);
            host ??= PipelineHost.Detect(invocation.Host, _output, _environment);
            host.Verbose = invocation.Verbose;
            _build.Host = host;
            _build.CacheDirectoryOverride = _environment.GetValueOrDefault(WorkspaceLayout.CacheDirectoryVariable);

            var catalog = TargetCatalog.Discover(_build);
            if (invocation.Help)
            {
                // Help shows defaults, not what the environment happens to hold.
                _output.Write(invocation.Markdown
                    ? HelpWriter.Markdown(catalog, parameters, _build, _defaultTarget)
                    : HelpWriter.Text(catalog, parameters, _build, _defaultTarget));
                return Success;
            }

            Bind(parameters, invocation, host);
            foreach (var (word, flag) in invocation.AfterBooleanFlag)
                if (!catalog.Nodes.Any(n => string.Equals(n.Name, word, StringComparison.OrdinalIgnoreCase)))
                    throw new PipelineException($"Parameter --{flag}: '{word}' is not a boolean; expected true or false (--{flag} alone means true).");
            var plan = ExecutionPlanner.Plan(catalog.Nodes, invocation.ToPlanRequest(), _defaultTarget);
            if (invocation.Plan)
            {
                WritePlan(plan, host);
                return Success;
            }

            CheckRequirements(plan, catalog, parameters);
            _build.State = PipelineState.Load(_build.Layout.StateFile, host.Masker);
            // The build's own checks (generated CI files, CI settings) and every planned target's Requires, reported together.
            string? buildProblem = null;
            try { if (_build is IBuildCheck check) check.BeforeTargets(plan, host); }
            catch (PipelineException e) { buildProblem = e.Message; }
            await RunChecksAsync(plan, catalog, buildProblem, cancellationToken);
            var cache = new TargetCacheStep(new TargetCache(_build.Layout.TargetCacheDirectory, TargetCache.ToolkitVersion(_build.GetType()), host, host.Masker),
                invocation.Fresh, host, _build.State, _build.RootDirectory);
            var summary = await ExecuteAsync(plan, catalog, host, cache, invocation.Fresh, cancellationToken);
            summary = await AfterTargetsAsync(summary, host);
            host.WriteSummary(summary);
            // A run stopped after its last target finished anyway (a deploy whose push landed) succeeded.
            if (cancellationToken.IsCancellationRequested && !summary.Succeeded) return Cancelled;
            return summary.Succeeded ? Success : Failure;
        }
        catch (PipelineException e)
        {
            WriteError(host, e, verbose);
            return UsageError;
        }
    }

    private void Bind(IReadOnlyList<ParameterDescriptor> parameters, Invocation invocation, PipelineHost host)
    {
        foreach (var parameter in parameters)
        {
            object? value = null;
            var found = false;
            if (invocation.Parameters.TryGetValue(parameter.CliName, out var fromCli))
            {
                if (parameter.MasksValue(fromCli)) host.AddSecret(fromCli);
                value = ParameterConverter.Convert(parameter, fromCli, "command line", _build.RootDirectory);
                found = true;
            }
            else if (parameter.EnvironmentNames.FirstOrDefault(n => _environment.GetValueOrDefault(n) is { Length: > 0 }) is { } variable)
            {
                var fromEnvironment = _environment[variable];
                if (parameter.MasksValue(fromEnvironment)) host.AddSecret(fromEnvironment);
                value = ParameterConverter.Convert(parameter, fromEnvironment, $"environment variable {variable}", _build.RootDirectory);
                found = true;
            }
            if (found) parameter.SetValue(_build, value);
            if (parameter.GetValue(_build) is string secret && parameter.MasksValue(secret)) host.AddSecret(secret);
            // Each item of a secret list (--notify a,b) is a secret on its own.
            if (parameter.IsSecret && parameter.GetValue(_build) is string[] secrets) foreach (var item in secrets) host.AddSecret(item);
        }
    }

    private void CheckRequirements(ExecutionPlan plan, TargetCatalog catalog, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var missing = new List<string>();
        foreach (var planned in plan.Targets.Where(t => !t.IsSkipped))
            foreach (var requirement in catalog[planned.Name].Requirements)
            {
                if (HasValue(requirement.Value())) continue;
                var parameter = parameters.FirstOrDefault(p => p.MemberName == requirement.Text);
                missing.Add(parameter is null
                    ? $"{planned.Name} requires {requirement.Text}."
                    : $"{planned.Name} requires --{parameter.CliName} (or the environment variable {string.Join(" or ", parameter.EnvironmentNames)}): {parameter.Description}");
            }
        if (missing.Count > 0) throw new PipelineException(string.Join("\n", missing.Distinct()));

        static bool HasValue(object? value) => value switch
        {
            null => false,
            string s => s.Length > 0,
            Array a => a.Length > 0,
            _ => true,
        };
    }

    /// <summary>
    /// NUKE's <c>Requires</c>: every planned target's checks run before the first target, so a run that cannot
    /// finish (an unknown environment, a missing repository) builds, pushes and signs nothing.
    /// </summary>
    private static async Task RunChecksAsync(ExecutionPlan plan, TargetCatalog catalog, string? buildProblem, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var done = new HashSet<Func<CancellationToken, Task>>();
        foreach (var planned in plan.Targets.Where(t => !t.IsSkipped))
            foreach (var check in catalog[planned.Name].Checks)
            {
                if (!done.Add(check.Run)) continue;
                try { await check.Run(cancellationToken); }
                catch (PipelineException e) { problems.Add($"{planned.Name} cannot run: {e.Message}"); }
            }
        if (problems.Count > 0)
            throw new PipelineException((buildProblem is null ? "" : buildProblem + "\n") + string.Join("\n", problems.Distinct()) + "\nNothing was run.");
        if (buildProblem is not null) throw new PipelineException(buildProblem);
    }

    private async Task<BuildSummary> ExecuteAsync(ExecutionPlan plan, TargetCatalog catalog, PipelineHost host, TargetCacheStep cache, bool fresh, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, TargetOutcome>(StringComparer.OrdinalIgnoreCase);
        var warnings = new List<string>();
        foreach (var planned in plan.Targets)
        {
            var definition = catalog[planned.Name];
            var node = catalog.Nodes.First(n => n.Name == planned.Name);
            var published = new HashSet<string>(StringComparer.Ordinal);
            var outcome = outcomes[planned.Name] = await RunOneAsync(planned, definition, node, published);
            if (outcome.Status is TargetStatus.Succeeded || (outcome.Status is TargetStatus.Skipped && !planned.IsSkipped))
                PublishUnsetOutputs(definition, published, host);
        }
        return new BuildSummary(plan.Targets.Select(t => outcomes[t.Name]).ToList(), total.Elapsed) { Warnings = warnings };

        async Task<TargetOutcome> RunOneAsync(PlannedTarget planned, TargetDefinition definition, TargetNode node, HashSet<string> published)
        {
            TargetOutcome Outcome(TargetStatus status, string? reason = null, TimeSpan duration = default, IReadOnlyList<KeyValuePair<string, string>>? notes = null) =>
                new(planned.Name, status, duration, reason, notes ?? []);

            if (cancellationToken.IsCancellationRequested) return Outcome(TargetStatus.NotRun, "cancelled");
            var blocked = node.DependsOn.FirstOrDefault(d => outcomes.TryGetValue(d, out var o) && o.Status is TargetStatus.Failed or TargetStatus.NotRun);
            if (blocked is not null) return Outcome(TargetStatus.NotRun, $"{blocked} did not succeed");
            if (planned.IsSkipped) return Outcome(TargetStatus.Skipped, planned.SkipReason);

            foreach (var condition in definition.Conditions)
            {
                bool holds;
                try { holds = condition.Evaluate(); }
                catch (Exception e) { return Failed(e, TimeSpan.Zero, []); }
                if (!holds)
                {
                    host.Info($"{planned.Name} skipped: {condition.Text} is false");
                    return Outcome(TargetStatus.Skipped, condition.Text + " is false");
                }
            }

            if (definition.Action is null)
                return Outcome(TargetStatus.Succeeded);

            var watch = Stopwatch.StartNew();
            TargetCacheStep.Decision? cached = null;
            if (definition.IsCacheable)
            {
                try { cached = await cache.DecideAsync(definition, cancellationToken); }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { return Outcome(TargetStatus.NotRun, "cancelled"); }
                // Declaring inputs or restoring a cached run failed (a tool, a file): the target fails with that reason, not the run.
                catch (Exception e) { return Failed(e, watch.Elapsed, []); }
                if (cached.SkipReason is { } reason)
                {
                    published.UnionWith(cached.Published);
                    return Outcome(TargetStatus.Skipped, reason, watch.Elapsed, cached.Notes);
                }
                cache.BeforeRun();
            }

            var context = new TargetContext(definition, host, _build.State, cancellationToken, fresh);
            try
            {
                await host.RunTargetAsync(planned.Name, () => definition.Action(context));
                published.UnionWith(context.Published.Keys);
                if (cached is not null) cache.Succeeded(definition, cached, context);
                return Outcome(TargetStatus.Succeeded, duration: watch.Elapsed, notes: context.Notes);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                if (cached is not null) cache.Failed(definition);
                host.ReportFailure(planned.Name, "cancelled");
                return Outcome(TargetStatus.Failed, "cancelled", watch.Elapsed, context.Notes);
            }
            catch (Exception e)
            {
                return Failed(e, watch.Elapsed, context.Notes);
            }
            finally
            {
                // What the target warned about without failing is a row of the summary, whatever its outcome.
                warnings.AddRange(context.Warnings.Select(w => $"{planned.Name}: {w}"));
            }

            TargetOutcome Failed(Exception e, TimeSpan duration, IReadOnlyList<KeyValuePair<string, string>> notes)
            {
                if (definition.IsCacheable) cache.Failed(definition);
                var message = e is PipelineException ? e.Message : $"{e.GetType().Name}: {e.Message}";
                host.ReportFailure(planned.Name, message);
                if (host.Verbose || e is not PipelineException) host.Debug(e.ToString());
                return Outcome(TargetStatus.Failed, FirstLine(message), duration, notes);
            }
        }
    }

    /// <summary>The build's <see cref="IAfterTargets"/>, whose failure is a warning: the targets' outcome is already decided.</summary>
    private async Task<BuildSummary> AfterTargetsAsync(BuildSummary summary, PipelineHost host)
    {
        if (_build is not IAfterTargets after) return summary;
        IReadOnlyList<string> warnings;
        // A cancelled run still reports what it did: the hook gets its own time limit, not the run's token.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try { warnings = await after.AfterTargetsAsync(summary, host, limit.Token); }
        catch (Exception e) { warnings = [$"{e.GetType().Name}: {FirstLine(e.Message)}"]; }
        foreach (var warning in warnings) host.Warn(warning);
        return warnings.Count == 0 ? summary : summary with { Warnings = [.. summary.Warnings, .. warnings] };
    }

    /// <summary>
    /// A target that ran, or that its condition or the cache skipped, leaves every output it declares with
    /// <c>Produces</c> written to the host, empty when it has no value: a Tekton Pipeline that references a result its
    /// Task did not write fails the whole PipelineRun (CouldntGetPipelineResult), and a GitHub job output reads empty
    /// either way. Only the host gets the empty value: the state keeps what an earlier run recorded. A target skipped by
    /// <c>--skip</c> writes nothing: its Task is another one, which wrote them.
    /// </summary>
    private static void PublishUnsetOutputs(TargetDefinition definition, IReadOnlySet<string> published, PipelineHost host)
    {
        foreach (var output in definition.Outputs)
            if (!published.Contains(output))
                host.PublishOutput(output, "");
    }

    private static void WritePlan(ExecutionPlan plan, PipelineHost host)
    {
        host.Info("Plan:");
        var number = 1;
        foreach (var target in plan.Targets)
            host.Info($"  {number++}. {target.Name}{(target.IsSkipped ? $" (skipped: {target.SkipReason})" : "")}");
    }

    private void WriteError(PipelineHost? host, Exception e, bool verbose)
    {
        var text = verbose ? e.ToString() : e.Message;
        if (host is not null) host.Error(text);
        else _error.WriteLine("error: " + text);
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n');
        return newline < 0 ? text : text[..newline];
    }
}
