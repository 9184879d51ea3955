using Pipelines.Logging;
namespace Pipelines.Hosts;

/// <summary>
/// GitHub Actions: a log group per target, <c>::add-mask::</c> for secrets, outputs appended to
/// <c>$GITHUB_OUTPUT</c>, the summary to <c>$GITHUB_STEP_SUMMARY</c>, failures as <c>::error::</c>.
/// </summary>
internal sealed class GitHubActionsHost(TextWriter output, IReadOnlyDictionary<string, string> environment)
    : PipelineHost(output, environment)
{
    /// <summary>Names this host in logs and in <c>--host</c>.</summary>
    public override string Name => "github-actions";

    /// <summary>Links to the workflow run when the runner's variables are present.</summary>
    public override string RunId =>
        Variable("GITHUB_SERVER_URL") is { } server && Variable("GITHUB_REPOSITORY") is { } repository && Variable("GITHUB_RUN_ID") is { } run
            ? $"{server}/{repository}/actions/runs/{run}"
            : base.RunId;

    /// <summary>Prefixes warnings, errors and debug lines with workflow commands so GitHub annotates them.</summary>
    protected override void WriteLine(LogLevel level, string message)
    {
        var prefix = level switch
        {
            LogLevel.Warning => "::warning::",
            LogLevel.Error => "::error::",
            LogLevel.Debug => "::debug::",
            _ => "",
        };
        foreach (var line in message.Split('\n'))
            Output.WriteLine(prefix.Length == 0 ? line : prefix + Escape(line));
        Output.Flush();
    }

    /// <summary>Also tells the runner to mask the value, line by line, in its own log.</summary>
    public override void AddSecret(string? value)
    {
        base.AddSecret(value);
        if (string.IsNullOrWhiteSpace(value)) return;
        // The mask command must reach the runner before any line could show the value.
        foreach (var line in value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            Output.WriteLine($"::add-mask::{line}");
        Output.Flush();
    }

    /// <summary>Opens a collapsible log group for the target.</summary>
    protected override void BeginTarget(string target)
    {
        Output.WriteLine($"::group::{target}");
        Output.Flush();
    }

    /// <summary>Closes the target's log group.</summary>
    protected override void EndTarget(string target)
    {
        Output.WriteLine("::endgroup::");
        Output.Flush();
    }

    /// <summary>Appends the output to <c>$GITHUB_OUTPUT</c> so later steps and jobs can read it.</summary>
    public override void PublishOutput(string name, string value)
    {
        if (Variable("GITHUB_OUTPUT") is not { } path) return;
        var masked = Masker.Apply(value);
        // Multi-line values use the heredoc form with a delimiter that cannot occur in the value.
        var delimiter = $"ghadelimiter_{Guid.NewGuid():N}";
        var text = masked.Contains('\n') ? $"{name}<<{delimiter}\n{masked}\n{delimiter}\n" : $"{name}={masked}\n";
        File.AppendAllText(path, text);
    }

    /// <summary>Appends the markdown to <c>$GITHUB_STEP_SUMMARY</c>.</summary>
    public override void AppendSummary(string markdown)
    {
        if (Variable("GITHUB_STEP_SUMMARY") is { } path)
            File.AppendAllText(path, Masker.Apply(markdown).TrimEnd() + "\n\n");
    }

    /// <summary>Raises an error annotation titled with the failed target.</summary>
    public override void ReportFailure(string target, string message)
    {
        Output.WriteLine($"::error title={Escape(target)} failed::{Escape(Masker.Apply(message))}");
        Output.Flush();
    }

    /// <summary>Writes the summary to the log and, as a table, to the job summary page.</summary>
    public override void WriteSummary(BuildSummary summary)
    {
        base.WriteSummary(summary);
        AppendSummary("### Pipeline\n\n" + summary.ToMarkdown());
    }

    /// <summary>Workflow commands need %, CR and LF escaped in their data.</summary>
    private static string Escape(string text) =>
        text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
}
