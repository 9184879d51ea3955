using Spectre.Console;
using Pipelines.Logging;

namespace Pipelines.Hosts;

/// <summary>
/// The local terminal. With a real terminal: coloured lines, a rule per target and a live line saying
/// which target runs (Spectre.Console). Redirected: plain lines only.
/// </summary>
internal sealed class TerminalHost(TextWriter output, IReadOnlyDictionary<string, string> environment, bool interactive)
    : PipelineHost(output, environment)
{
    /// <summary>Names this host in logs and in <c>--host</c>.</summary>
    public override string Name => "local";

    /// <summary>A terminal host on the process's console, interactive when stdout is a terminal.</summary>
    public static TerminalHost ForConsole(IReadOnlyDictionary<string, string> environment) =>
        new(Console.Out, environment, interactive: !Console.IsOutputRedirected && environment.GetValueOrDefault("TERM") != "dumb");

    /// <summary>True when the output is a terminal that shows colours and spinners.</summary>
    public bool Interactive => interactive;

    /// <summary>Colours lines on a terminal; prefixes the level when the output is redirected.</summary>
    protected override void WriteLine(LogLevel level, string message)
    {
        if (!interactive)
        {
            var prefix = level switch
            {
                LogLevel.Warning => "warning: ",
                LogLevel.Error => "error: ",
                _ => "",
            };
            Output.WriteLine(prefix + message);
            Output.Flush();
            return;
        }

        var style = level switch
        {
            LogLevel.Warning => "yellow",
            LogLevel.Error => "red",
            LogLevel.Debug => "grey",
            _ => null,
        };
        var escaped = Markup.Escape(message);
        AnsiConsole.MarkupLine(style is null ? escaped : $"[{style}]{escaped}[/]");
    }

    /// <summary>Shows a rule and a spinner while the target runs on a terminal.</summary>
    public override async Task RunTargetAsync(string target, Func<Task> body)
    {
        if (!interactive)
        {
            await base.RunTargetAsync(target, body);
            return;
        }

        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(target)}[/]").LeftJustified());
        await AnsiConsole.Status()
            .Spinner(Spinner.Known.Dots)
            .StartAsync($"Running {Markup.Escape(target)}…", _ => body());
    }

    /// <summary>Draws the summary as a table on a terminal.</summary>
    public override void WriteSummary(BuildSummary summary)
    {
        if (!interactive)
        {
            base.WriteSummary(summary);
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Target").AddColumn("Status").AddColumn("Duration").AddColumn("Notes");
        foreach (var t in summary.Targets)
        {
            var colour = t.Status switch
            {
                TargetStatus.Succeeded => "green",
                TargetStatus.Failed => "red",
                TargetStatus.Skipped => "grey",
                _ => "yellow",
            };
            table.AddRow(
                Markup.Escape(t.Name),
                $"[{colour}]{Markup.Escape(BuildSummary.StatusText(t))}[/]",
                BuildSummary.DurationText(t),
                Markup.Escape(Masker.Apply(BuildSummary.NotesText(t, "\n"))));
        }
        foreach (var warning in summary.Warnings)
            table.AddRow("[yellow]Warning[/]", "", "", Markup.Escape(Masker.Apply(warning)));
        table.AddRow("[bold]Total[/]", summary.Succeeded ? "[green]succeeded[/]" : "[red]failed[/]", BuildSummary.FormatDuration(summary.Duration), "");
        AnsiConsole.Write(table);
    }
}
