using Pipelines.Workspace;

namespace Pipelines.Generators;

/// <summary>Writes one <c>.github/workflows/&lt;name&gt;.yml</c> per declared <see cref="GitHubWorkflow"/>.</summary>
internal sealed class GitHubWorkflowGenerator(BuildShape build, CiConfiguration configuration)
{
    private readonly TargetSecretMap _secrets = TargetSecretMap.For(build, configuration);

    /// <summary>Produces the workflow files for the configured build.</summary>
    public IEnumerable<GeneratedFile> Generate() =>
        configuration.GitHubWorkflows.Select(w => new GeneratedFile($".github/workflows/{w.Name}.yml", Write(w)));

    /// <summary>One job of a workflow: its id, its command line, the arguments that set parameters, and the secrets it gets.</summary>
    /// <param name="Deploys">The workflow's main job: environment, required variables, SARIF upload.</param>
    /// <param name="RunsTests">The job that runs the tests: it gets the setup step (<see cref="GitHubWorkflow.SetupRun"/>).</param>
    private sealed record JobShape(string Id, string Command, IReadOnlyList<string> Arguments, IReadOnlyList<ParameterShape> Secrets, bool Deploys, bool RunsTests);

    private string Write(GitHubWorkflow workflow)
    {
        var where = $"GitHub workflow '{workflow.Name}'";
        if (!workflow.OnPullRequest && workflow.PushBranches.Count == 0 && workflow.PushTags.Count == 0 && workflow.Inputs.Count == 0)
            throw new PipelineException($"{where} has no trigger; set PushBranches, PushTags, Inputs or OnPullRequest in the build's Ci (GitOpsBuild.Ci).");
        CheckInputs(workflow, where);
        var environment = EnvironmentOf(workflow);
        var closure = build.Closure(workflow.Targets, where);
        var targets = closure.Where(t => workflow.Targets.Contains(t.Name, StringComparer.OrdinalIgnoreCase)).Select(t => t.Name);
        // A pull request runs the branch's own build/: it gets no secret at all, whatever its targets read.
        var secrets = workflow.OnPullRequest ? [] : _secrets.Of(closure.Select(t => t.Name));
        if (secrets.Count > 0 && environment is null)
            throw new PipelineException($"{where} gives its job the secrets {string.Join(", ", secrets.Select(p => p.EnvironmentName))}: bind it to a protected environment (Environment = \"production\" in the build's Ci) that holds them.");
        if (workflow.OnPullRequest && environment is not null)
            throw new PipelineException($"{where} runs for pull requests: it must not be bound to environment {environment}, whose secrets a pull request's build/ could read.");
        foreach (var required in workflow.RequiredVariables)
            if (!build.Parameters.Any(p => p.MemberName == required && !p.IsSecret))
                throw new PipelineException($"{where} requires variable {required}, which is not a non-secret parameter; valid: {string.Join(", ", build.Parameters.Where(p => !p.IsSecret).Select(p => p.MemberName))}.");

        var jobs = new YamlMap();
        // A release deploys to the release environment, said on the command line so no variable can move it.
        IReadOnlyList<string> arguments = workflow.Release ? [.. workflow.Arguments, "--environment", environment!] : workflow.Arguments;
        if (TestJob(workflow, closure, where) is { } test)
        {
            jobs[test.Id] = Job(workflow, test, where, needs: null);
            if (TestFailureNoticeJob(workflow, test, where) is { } notice) jobs[notice.Id] = notice.Job;
            // The test job's success is the main job's condition: it skips what the test job ran.
            arguments = [.. arguments, "--skip", .. test.Command.Split(' ')[1..]];
        }
        var main = new JobShape(workflow.Job ?? workflow.Name, string.Join(' ', ["./build.sh", .. targets, .. arguments.Select(QuoteArgument)]), arguments, secrets,
            Deploys: true, RunsTests: jobs.Count == 0);
        jobs[main.Id] = Job(workflow, main, where, needs: jobs.Count == 0 ? null : "test");

        var document = new YamlMap
        {
            ["name"] = workflow.Name,
            ["on"] = Triggers(workflow),
            // Nothing at the workflow level: each job asks for exactly what it uses.
            ["permissions"] = new YamlMap(),
            ["concurrency"] = new YamlMap
            {
                ["group"] = workflow.ConcurrencyGroup ?? (workflow.Release ? $"deploy-{environment}" : $"{workflow.Name}-${{{{ github.ref }}}}"),
                ["cancel-in-progress"] = workflow.CancelInProgress,
            },
            ["jobs"] = jobs,
        };
        return YamlWriter.Write(GeneratedHeader.Lines(configuration), document);
    }

    /// <summary>
    /// The job of <see cref="GitHubWorkflow.TestTargets"/>: no environment, no secret, read-only, so the test suite never
    /// runs next to the signing key; null when the workflow has one job.
    /// </summary>
    private JobShape? TestJob(GitHubWorkflow workflow, IReadOnlyList<TargetShape> closure, string where)
    {
        if (workflow.TestTargets.Count == 0) return null;
        var tests = build.Closure(workflow.TestTargets, where + " (TestTargets)");
        if (tests.FirstOrDefault(t => !closure.Contains(t)) is { } stray)
            throw new PipelineException($"{where}: TestTargets names {stray.Name}, which {string.Join(", ", workflow.Targets)} do not run; name a target they depend on, e.g. {closure[0].Name}.");
        if (_secrets.Of(tests.Select(t => t.Name)) is { Count: > 0 } secrets)
            throw new PipelineException($"{where}: the test job runs {string.Join(", ", tests.Select(t => t.Name))}, which read the secrets {string.Join(", ", secrets.Select(p => p.EnvironmentName))}; the test job gets none. Leave them out of TestTargets.");
        return new JobShape("test", string.Join(' ', ["./build.sh", .. tests.Select(t => t.Name)]), [], [], Deploys: false, RunsTests: true);
    }

    /// <summary>
    /// The job that tells the chat a test job failed (<see cref="GitHubWorkflow.TestFailureNotice"/>): it needs the test
    /// job, runs only on its failure, and holds only the secrets its one target reads. It runs <c>./build.sh</c>, which
    /// compiles build/: that is the default branch's build/, checked out by name (the code the deploy job runs with every
    /// secret), never a branch's, and nothing of the code under test is built or run.
    /// </summary>
    private (string Id, YamlMap Job)? TestFailureNoticeJob(GitHubWorkflow workflow, JobShape test, string where)
    {
        if (workflow.TestFailureNotice is not { } target) return null;
        if (workflow.OnPullRequest)
            throw new PipelineException($"{where} runs for pull requests, which get no secret: a TestFailureNotice would need the webhook secret. Leave it out there (the pull request shows the failed check).");
        if (!build.Targets.Any(t => t.Name.Equals(target, StringComparison.OrdinalIgnoreCase)))
            throw new PipelineException($"{where}: TestFailureNotice names {target}, which the build does not declare; valid: {string.Join(", ", build.Targets.Select(t => t.Name))}.");
        if (build.Closure([target], where + " (TestFailureNotice)") is { Count: > 1 } closure)
            throw new PipelineException($"{where}: TestFailureNotice {target} depends on {string.Join(", ", closure.SkipLast(1).Select(t => t.Name))}; the notice job must run its one target and nothing else.");
        // One value, comma-joined: a second word would be a target to run here, next to the webhook secret.
        var failed = string.Join(',', test.Command.Split(' ')[1..]);
        var notice = new JobShape("test-failed", string.Join(' ', ["./build.sh", target, "--failed-target", failed]), [], _secrets.Of([target]), Deploys: false, RunsTests: false);
        var job = new YamlMap
        {
            ["name"] = notice.Command,
            ["needs"] = test.Id,
            // Only when the test job failed: a cancelled run or a skipped test job is no news.
            ["if"] = "failure()",
            ["runs-on"] = "ubuntu-latest",
            ["permissions"] = new YamlMap { ["contents"] = "read" },
            ["timeout-minutes"] = 15,
            ["steps"] = new List<YamlMap>
            {
                new()
                {
                    ["name"] = "Check out the default branch's build",
                    ["uses"] = GitHubActionPins.Checkout,
                    ["with"] = new YamlMap
                    {
                        // build/ is compiled and run here next to the webhook secret: the default branch's, reviewed like
                        // the deploy job's, whatever ref the run is for; the code the tests test is never built here.
                        ["ref"] = "${{ github.event.repository.default_branch }}",
                        ["persist-credentials"] = false,
                    },
                },
                new()
                {
                    ["name"] = "Set up .NET",
                    ["uses"] = GitHubActionPins.SetupDotNet,
                    ["with"] = new YamlMap { ["global-json-file"] = "global.json" },
                },
                new()
                {
                    ["name"] = notice.Command,
                    ["run"] = notice.Command,
                    ["env"] = Environment(workflow, notice, where),
                },
            },
        };
        return (notice.Id, job);
    }

    private YamlMap Job(GitHubWorkflow workflow, JobShape job, string where, string? needs) => new()
    {
        ["name"] = job.Command,
        ["needs"] = needs,
        ["runs-on"] = "ubuntu-latest",
        ["environment"] = job.Deploys ? EnvironmentOf(workflow) : null,
        ["concurrency"] = job.Deploys ? DeployConcurrency(workflow) : null,
        ["permissions"] = job.Deploys ? Permissions(workflow) : new YamlMap { ["contents"] = "read" },
        ["timeout-minutes"] = workflow.TimeoutMinutes,
        ["steps"] = Steps(workflow, job, where).ToList(),
    };

    /// <summary>
    /// A pushed branch's deploy job (main's) goes to the environment of its variable, else the build's default: it joins
    /// that environment's <c>deploy-&lt;environment&gt;</c> group, which promote, rollback and release hold at the workflow
    /// level, so no two runs write one environment's manifests at once. Null where the workflow names its own group (those
    /// three), for a release (its workflow holds the group) and for a job bound to no environment (it deploys nowhere).
    /// </summary>
    private YamlMap? DeployConcurrency(GitHubWorkflow workflow)
    {
        if (workflow.ConcurrencyGroup is not null || workflow.Release || workflow.OnPullRequest || EnvironmentOf(workflow) is null) return null;
        if (build.Parameters.FirstOrDefault(p => p.MemberName == CiConfiguration.EnvironmentParameter && !p.IsSecret) is not { } parameter) return null;
        var fallback = parameter.DefaultText is { Length: > 0 } text ? $" || '{text.Replace("'", "''")}'" : "";
        return new YamlMap
        {
            ["group"] = $"deploy-${{{{ vars.{parameter.EnvironmentName}{fallback} }}}}",
            ["cancel-in-progress"] = false,
        };
    }

    private YamlMap Triggers(GitHubWorkflow workflow)
    {
        var on = new YamlMap();
        if (workflow.PushBranches.Count > 0 || workflow.PushTags.Count > 0)
            on["push"] = new YamlMap
            {
                ["branches"] = workflow.PushBranches.Count > 0 ? workflow.PushBranches : null,
                ["tags"] = workflow.PushTags.Count > 0 ? workflow.PushTags : null,
            };
        if (workflow.OnPullRequest) on["pull_request"] = new YamlMap();
        if (workflow.Inputs.Count > 0)
        {
            var inputs = new YamlMap();
            foreach (var input in workflow.Inputs)
            {
                var options = OptionsOf(input);
                inputs[input.Name] = new YamlMap
                {
                    ["description"] = input.Description,
                    ["required"] = true,
                    ["type"] = options.Count > 0 ? "choice" : "string",
                    ["options"] = options.Count > 0 ? options : null,
                    ["default"] = input.Default ?? (options.Count > 0 ? options[input.DefaultOption] : null),
                };
            }
            on["workflow_dispatch"] = new YamlMap { ["inputs"] = inputs };
        }
        return on;
    }

    /// <summary>The build's environments, from the default of its <c>--environments</c> (name=mode entries).</summary>
    private IReadOnlyList<string> BuildEnvironments =>
        build.Parameters.FirstOrDefault(p => p.MemberName == CiConfiguration.EnvironmentsParameter)?.DefaultText is { } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];

    /// <summary>The GitHub environment the main job is bound to: the declared one, or a release's environment.</summary>
    private string? EnvironmentOf(GitHubWorkflow workflow) =>
        workflow.Release ? new CiSettingsCheck(configuration).ReleaseEnvironment(BuildEnvironments) : workflow.Environment;

    private IReadOnlyList<string> OptionsOf(WorkflowInput input) =>
        input.Environments ? BuildEnvironments.Select(e => e.Split('=', 2)[0].Trim()).ToList() : input.Options;

    private void CheckInputs(GitHubWorkflow workflow, string where)
    {
        foreach (var input in workflow.Inputs)
        {
            if (!build.Parameters.Any(p => p.MemberName == input.Parameter && !p.IsSecret))
                throw new PipelineException($"{where}: input {input.Name} sets {input.Parameter}, which is not a non-secret parameter; valid: {string.Join(", ", build.Parameters.Where(p => !p.IsSecret).Select(p => p.MemberName))}.");
            if (input.Environments && BuildEnvironments.Count == 0)
                throw new PipelineException($"{where}: input {input.Name} offers the build's environments, but the build has no {CiConfiguration.EnvironmentsParameter} parameter with a default; list Options instead.");
            if (input.Default is { } given && OptionsOf(input) is { Count: > 0 } options && !options.Contains(given))
                throw new PipelineException($"{where}: input {input.Name} defaults to {given}, which is not one of its options ({string.Join(", ", options)}).");
            if (input.Default is null && OptionsOf(input) is { Count: > 0 } choices && (input.DefaultOption < 0 || input.DefaultOption >= choices.Count))
                throw new PipelineException($"{where}: input {input.Name} preselects option {input.DefaultOption}, but it has {choices.Count} ({string.Join(", ", choices)}); give a position from 0 to {choices.Count - 1}.");
        }
    }

    /// <summary>Least privilege: read the code, and write only what this workflow's job needs.</summary>
    private static YamlMap Permissions(GitHubWorkflow workflow) => new()
    {
        ["contents"] = "read",
        ["packages"] = workflow.PushesPackages ? "write" : null,
        ["security-events"] = workflow.SarifFile is null ? null : "write",
        // upload-sarif reads the workflow run's metadata: private repositories refuse it without actions: read.
        ["actions"] = workflow.SarifFile is null ? null : "read",
        ["id-token"] = workflow.KeylessSigning ? "write" : null,
    };

    private IEnumerable<YamlMap> Steps(GitHubWorkflow workflow, JobShape job, string where)
    {
        if (job.Deploys && workflow.RequiredVariables.Count > 0)
        {
            var required = workflow.RequiredVariables.Select(m => build.Parameters.Single(p => p.MemberName == m).EnvironmentName).ToList();
            yield return new YamlMap
            {
                ["name"] = "Check repository variables",
                ["env"] = VariablesMap(required),
                ["run"] = $$"""
                    missing=0
                    for name in {{string.Join(' ', required)}}; do
                      if [ -z "$(printenv "$name")" ]; then
                        echo "::error title=Missing repository variable::Set the repository variable $name (Settings > Secrets and variables > Actions > Variables); this workflow does not fall back to a runner-local default."
                        missing=1
                      fi
                    done
                    exit "$missing"

                    """,
            };
        }
        yield return new YamlMap
        {
            ["name"] = "Check out",
            ["uses"] = GitHubActionPins.Checkout,
            // The job gets no git credentials it does not need; Deploy pushes with its own token.
            ["with"] = new YamlMap { ["persist-credentials"] = false },
        };
        yield return new YamlMap
        {
            ["name"] = "Set up .NET",
            ["uses"] = GitHubActionPins.SetupDotNet,
            ["with"] = new YamlMap { ["global-json-file"] = "global.json" },
        };
        yield return new YamlMap
        {
            ["name"] = "Cache NuGet packages",
            ["uses"] = GitHubActionPins.Cache,
            ["with"] = new YamlMap
            {
                ["path"] = "~/.nuget/packages",
                ["key"] = "nuget-${{ runner.os }}-${{ hashFiles('global.json', '**/*.csproj') }}",
                ["restore-keys"] = "nuget-${{ runner.os }}-",
            },
        };
        // The engine's target cache: a rerun skips targets whose inputs are unchanged. Keyed by the sources;
        // an older entry is restored when they changed, and the engine decides per target what still holds.
        // images/: each service's last image and its inputs, so a commit to one service keeps the others' images.
        yield return new YamlMap
        {
            ["name"] = "Cache target results",
            ["uses"] = GitHubActionPins.Cache,
            ["with"] = new YamlMap
            {
                ["path"] = $"{WorkspaceLayout.Relative.TargetCache}\n{WorkspaceLayout.Relative.ImageCache}\n",
                // Per job: two jobs saving one key race, and the loser's targets would never be cached.
                ["key"] = $"targets-${{{{ runner.os }}}}-${{{{ github.workflow }}}}-${{{{ github.job }}}}-{SourcesHash}",
                ["restore-keys"] = job.Deploys && workflow.TargetCacheFrom is { } from
                    ? $"targets-${{{{ runner.os }}}}-{from.Replace('/', '-')}-{SourcesHash}\ntargets-${{{{ runner.os }}}}-${{{{ github.workflow }}}}-${{{{ github.job }}}}-\n"
                    : "targets-${{ runner.os }}-${{ github.workflow }}-${{ github.job }}-",
            },
        };
        if (workflow.TrivyVersion is { } trivy)
            yield return new YamlMap
            {
                ["name"] = $"Install Trivy {trivy}",
                ["env"] = new YamlMap { ["TRIVY_VERSION"] = trivy, ["TRIVY_SHA256"] = workflow.TrivySha256 },
                ["run"] = TrivyInstallScript,
            };
        // The DB cache goes with the job that scans (one key a day: a second job saving it would only warn).
        if (workflow.TrivyCachePath is { } trivyCache && job.Deploys)
        {
            // Trivy's DB changes daily: one cache per day, the newest earlier one as a start.
            yield return new YamlMap
            {
                ["name"] = "Today's date for the Trivy DB cache",
                ["id"] = "today",
                ["run"] = "echo \"day=$(date -u +%Y-%m-%d)\" >> \"$GITHUB_OUTPUT\"",
            };
            yield return new YamlMap
            {
                ["name"] = "Cache the Trivy DB",
                ["uses"] = GitHubActionPins.Cache,
                ["with"] = new YamlMap
                {
                    ["path"] = trivyCache,
                    ["key"] = "trivy-db-${{ steps.today.outputs.day }}",
                    ["restore-keys"] = "trivy-db-",
                },
            };
        }
        if (workflow.SetupRun is { } setup && job.RunsTests)
            yield return new YamlMap
            {
                ["name"] = "Install prerequisites",
                ["run"] = setup,
            };
        yield return new YamlMap
        {
            ["name"] = job.Command,
            ["run"] = job.Command,
            ["env"] = Environment(workflow, job, where),
        };
        if (workflow.SarifFile is { } sarif && job.Deploys)
        {
            // A folder (several services' scans) is uploaded whole; hashFiles sees only files, so it looks inside.
            var files = $"hashFiles('{(sarif.EndsWith(".sarif", StringComparison.Ordinal) ? sarif : sarif.TrimEnd('/') + "/**/*.sarif")}') != ''";
            var enabled = $"vars.{workflow.SarifUploadVariable} == 'true'";
            yield return new YamlMap
            {
                ["name"] = "Upload SARIF to code scanning",
                // Findings matter most when the scan gate failed the build; a build that stopped before the scan has no file.
                // Off unless switched on: a private repository without GitHub Code Security refuses the upload.
                ["if"] = $"always() && {enabled} && {files}",
                ["uses"] = GitHubActionPins.UploadSarif,
                ["with"] = new YamlMap { ["sarif_file"] = sarif },
            };
            yield return new YamlMap
            {
                ["name"] = "SARIF upload is off",
                ["if"] = $"always() && !({enabled}) && {files}",
                ["run"] = $"echo \"::notice title=SARIF not uploaded::Trivy's findings are in {sarif} and the job summary. Set the repository variable {workflow.SarifUploadVariable} to true to upload them to code scanning (public repositories, or private ones with GitHub Code Security).\"",
            };
        }
    }

    /// <summary>
    /// The given secrets from <c>secrets.*</c> (only what the job's targets read), everything else from <c>vars.*</c>;
    /// none that the command line already sets.
    /// </summary>
    private YamlMap? Environment(GitHubWorkflow workflow, JobShape job, string where)
    {
        var descriptors = build.Parameters;
        var secrets = job.Secrets;
        var onCommandLine = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var argument in job.Arguments.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            var name = argument[2..].Split('=')[0];
            if (name is "skip" or "verbose" or "plan") continue;
            if (!descriptors.Any(p => p.CliName.Equals(name, StringComparison.OrdinalIgnoreCase)))
                throw new PipelineException($"{where} passes --{name}, which the build does not declare; valid: {string.Join(", ", descriptors.Select(p => "--" + p.CliName))}.");
            onCommandLine.Add(name);
        }
        foreach (var excluded in workflow.ExcludedParameters)
            if (!descriptors.Any(p => p.MemberName == excluded))
                throw new PipelineException($"{where} excludes parameter {excluded}, which the build does not declare; valid: {string.Join(", ", descriptors.Select(p => p.MemberName))}.");

        foreach (var renamed in workflow.SecretNames.Keys)
            if (!descriptors.Any(p => p.IsSecret && p.EnvironmentName == renamed))
                throw new PipelineException($"{where} maps {renamed} in SecretNames, which is not a [Secret] parameter's environment name; valid: {string.Join(", ", descriptors.Where(p => p.IsSecret).Select(p => p.EnvironmentName))}.");

        var environment = new YamlMap();
        foreach (var parameter in descriptors)
        {
            if (onCommandLine.Contains(parameter.CliName) || workflow.ExcludedParameters.Contains(parameter.MemberName)) continue;
            // A dispatched run's input reaches the build as its parameter's variable: never spliced into the shell line.
            if (workflow.Inputs.FirstOrDefault(i => i.Parameter == parameter.MemberName) is { } input)
            {
                environment[parameter.EnvironmentName] = $"${{{{ inputs.{input.Name} }}}}";
                continue;
            }
            if (parameter.IsSecret && !secrets.Contains(parameter)) continue;
            var source = parameter.IsSecret
                ? "secrets." + workflow.SecretNames.GetValueOrDefault(parameter.EnvironmentName, parameter.EnvironmentName)
                : "vars." + parameter.EnvironmentName;
            environment[parameter.EnvironmentName] = $"${{{{ {source} }}}}";
        }
        return environment.Count == 0 ? null : environment;
    }

    /// <summary>What the target cache is keyed by: the sources (one owner, so a release finds main's entry of the same commit).</summary>
    private const string SourcesHash = "${{ hashFiles('**/*.cs', '**/*.csproj', '**/*.props', '**/*.sln', 'global.json', '**/Dockerfile', '**/*.yaml') }}";

    private static YamlMap VariablesMap(IEnumerable<string> names)
    {
        var map = new YamlMap();
        foreach (var name in names) map[name] = $"${{{{ vars.{name} }}}}";
        return map;
    }

    private static string QuoteArgument(string argument) =>
        argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_.,=/:@".Contains(c)) ? argument : "'" + argument.Replace("'", "'\\''") + "'";

    private const string TrivyInstallScript = """
        set -euo pipefail
        archive="trivy_${TRIVY_VERSION}_Linux-64bit.tar.gz"
        base="https://github.com/aquasecurity/trivy/releases/download/v${TRIVY_VERSION}"
        cd "$RUNNER_TEMP"
        curl -fsSLO "$base/$archive"
        echo "${TRIVY_SHA256}  $archive" | sha256sum --check --strict
        mkdir -p "$RUNNER_TEMP/trivy"
        tar -xzf "$archive" -C "$RUNNER_TEMP/trivy" trivy
        echo "$RUNNER_TEMP/trivy" >> "$GITHUB_PATH"
        "$RUNNER_TEMP/trivy/trivy" --version

        """;
}
