namespace Pipelines.Hosts;

/// <summary>
/// A Tekton TaskRun (the generated Tasks set <c>PIPELINE_HOST=tekton</c>): plain log lines, and each
/// output written to the result file Tekton reads, <c>/tekton/results/NAME</c>
/// (<c>PIPELINE_RESULTS_DIR</c> overrides the folder).
/// </summary>
public sealed class TektonHost(TextWriter output, IReadOnlyDictionary<string, string> environment)
    : PipelineHost(output, environment)
{
    public override string Name => "tekton";

    public string ResultsDirectory => Variable("PIPELINE_RESULTS_DIR") ?? "/tekton/results";

    public override string RunId =>
        Variable("PIPELINE_RUN") is { } run
            ? $"tekton:{Variable("PIPELINE_NAMESPACE") ?? "default"}/{run}"
            : base.RunId;

    protected override void WriteLine(LogLevel level, string message)
    {
        var prefix = level switch
        {
            LogLevel.Warning => "WARNING: ",
            LogLevel.Error => "ERROR: ",
            _ => "",
        };
        Output.WriteLine(prefix + message);
        Output.Flush();
    }

    public override void PublishOutput(string name, string value)
    {
        Directory.CreateDirectory(ResultsDirectory);
        // Tekton trims nothing: a result is the file's exact content.
        File.WriteAllText(Path.Combine(ResultsDirectory, name), Masker.Apply(value));
    }
}
