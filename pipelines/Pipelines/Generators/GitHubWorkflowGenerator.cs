namespace Pipelines.Generators;

/// <summary>Writes one <c>.github/workflows/&lt;name&gt;.yml</c> per declared <see cref="GitHubWorkflow"/>.</summary>
public sealed class GitHubWorkflowGenerator(BuildShape build, CiConfiguration configuration)
{
    /// <summary>Produces the workflow files for the configured build.</summary>
    public IEnumerable<GeneratedFile> Generate() =>
        configuration.GitHubWorkflows.Select(w => new GeneratedFile($".github/workflows/{w.Name}.yml", Write(w)));

    private string Write(GitHubWorkflow workflow)
    {
        var where = $"GitHub workflow '{workflow.Name}'";
        if (!workflow.OnPullRequest && workflow.PushBranches.Count == 0)
            throw new PipelineException($"{where} has no trigger; set PushBranches or OnPullRequest in build/Build.CI.cs.");
        var targets = build.Closure(workflow.Targets, where).Where(t => workflow.Targets.Contains(t.Name, StringComparer.OrdinalIgnoreCase)).Select(t => t.Name);
        var command = string.Join(' ', ["./build.sh", .. targets, .. workflow.Arguments.Select(QuoteArgument)]);

        var document = new YamlMap
        {
            ["name"] = workflow.Name,
            ["on"] = Triggers(workflow),
            ["permissions"] = Permissions(workflow),
            ["concurrency"] = new YamlMap
            {
                ["group"] = $"{workflow.Name}-${{{{ github.ref }}}}",
                ["cancel-in-progress"] = workflow.CancelInProgress,
            },
            ["jobs"] = new YamlMap
            {
                [workflow.Name] = new YamlMap
                {
                    ["name"] = command,
                    ["runs-on"] = "ubuntu-latest",
                    ["timeout-minutes"] = workflow.TimeoutMinutes,
                    ["steps"] = Steps(workflow, command, where).ToList(),
                },
            },
        };
        return YamlWriter.Write(GeneratedHeader.Lines(configuration), document);
    }

    private static YamlMap Triggers(GitHubWorkflow workflow)
    {
        var on = new YamlMap();
        if (workflow.PushBranches.Count > 0) on["push"] = new YamlMap { ["branches"] = workflow.PushBranches };
        if (workflow.OnPullRequest) on["pull_request"] = new YamlMap();
        return on;
    }

    /// <summary>Least privilege: read the code, and write only what this workflow's job needs.</summary>
    private static YamlMap Permissions(GitHubWorkflow workflow) => new()
    {
        ["contents"] = "read",
        ["packages"] = workflow.PushesPackages ? "write" : null,
        ["security-events"] = workflow.SarifFile is null ? null : "write",
        ["id-token"] = workflow.KeylessSigning ? "write" : null,
    };

    private IEnumerable<YamlMap> Steps(GitHubWorkflow workflow, string command, string where)
    {
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
        yield return new YamlMap
        {
            ["name"] = "Cache target results",
            ["uses"] = GitHubActionPins.Cache,
            ["with"] = new YamlMap
            {
                ["path"] = ".gitops/cache/targets",
                ["key"] = "targets-${{ runner.os }}-${{ github.workflow }}-${{ hashFiles('**/*.cs', '**/*.csproj', '**/*.props', '**/*.sln', 'global.json', '**/Dockerfile', '**/*.yaml') }}",
                ["restore-keys"] = "targets-${{ runner.os }}-${{ github.workflow }}-",
            },
        };
        if (workflow.TrivyVersion is { } trivy)
            yield return new YamlMap
            {
                ["name"] = $"Install Trivy {trivy}",
                ["env"] = new YamlMap { ["TRIVY_VERSION"] = trivy },
                ["run"] = TrivyInstallScript,
            };
        if (workflow.SetupRun is { } setup)
            yield return new YamlMap
            {
                ["name"] = "Install prerequisites",
                ["run"] = setup,
            };
        yield return new YamlMap
        {
            ["name"] = command,
            ["run"] = command,
            ["env"] = Environment(workflow, where),
        };
        if (workflow.SarifFile is { } sarif)
            yield return new YamlMap
            {
                ["name"] = "Upload SARIF to code scanning",
                // Findings matter most when the scan gate failed the build; a build that stopped before the scan has no file.
                ["if"] = $"always() && hashFiles('{sarif}') != ''",
                ["uses"] = GitHubActionPins.UploadSarif,
                ["with"] = new YamlMap { ["sarif_file"] = sarif },
            };
    }

    /// <summary>Secrets from <c>secrets.*</c>, everything else from <c>vars.*</c>; none that the command line already sets.</summary>
    private YamlMap? Environment(GitHubWorkflow workflow, string where)
    {
        var descriptors = build.Parameters;
        var onCommandLine = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var argument in workflow.Arguments.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
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
            var source = parameter.IsSecret
                ? "secrets." + workflow.SecretNames.GetValueOrDefault(parameter.EnvironmentName, parameter.EnvironmentName)
                : "vars." + parameter.EnvironmentName;
            environment[parameter.EnvironmentName] = $"${{{{ {source} }}}}";
        }
        return environment.Count == 0 ? null : environment;
    }

    private static string QuoteArgument(string argument) =>
        argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_.,=/:@".Contains(c)) ? argument : "'" + argument.Replace("'", "'\\''") + "'";

    private const string TrivyInstallScript = """
        set -euo pipefail
        archive="trivy_${TRIVY_VERSION}_Linux-64bit.tar.gz"
        base="https://github.com/aquasecurity/trivy/releases/download/v${TRIVY_VERSION}"
        cd "$RUNNER_TEMP"
        curl -fsSLO "$base/$archive"
        curl -fsSLO "$base/trivy_${TRIVY_VERSION}_checksums.txt"
        grep " $archive\$" "trivy_${TRIVY_VERSION}_checksums.txt" | sha256sum --check --strict
        mkdir -p "$RUNNER_TEMP/trivy"
        tar -xzf "$archive" -C "$RUNNER_TEMP/trivy" trivy
        echo "$RUNNER_TEMP/trivy" >> "$GITHUB_PATH"
        "$RUNNER_TEMP/trivy/trivy" --version

        """;
}
