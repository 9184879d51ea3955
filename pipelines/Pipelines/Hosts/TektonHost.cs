using Pipelines.Logging;
namespace Pipelines.Hosts;

/// <summary>
/// A Tekton TaskRun (the generated Tasks set <c>PIPELINE_HOST=tekton</c>): plain log lines, and each
/// output written to the result file Tekton reads, <c>/tekton/results/NAME</c>
/// (<c>PIPELINE_RESULTS_DIR</c> overrides the folder).
/// </summary>
internal sealed class TektonHost(TextWriter output, IReadOnlyDictionary<string, string> environment)
    : PipelineHost(output, environment)
{
    /// <summary>Names this host in logs and in <c>--host</c>.</summary>
    public override string Name => "tekton";

    /// <summary>Where Tekton collects the TaskRun's results.</summary>
    public string ResultsDirectory => Variable("PIPELINE_RESULTS_DIR") ?? "/tekton/results";

    /// <summary>
    /// The runner image a local PipelineRun (<c>./build.sh TektonRun --local</c>) put in place of the generated one, or
    /// null in a cluster; such a run's steps do not run the image the Tasks name.
    /// </summary>
    public string? LocalRunner => Variable(LocalRunnerVariable);

    /// <summary>The variable the local runner sets in every step (its owner is the local run, which sets it).</summary>
    public const string LocalRunnerVariable = TektonLocal.TaskPod.LocalRunnerVariable;

    /// <summary>Names the PipelineRun when the generated Task passes it in.</summary>
    public override string RunId =>
        Variable("PIPELINE_RUN") is { } run
            ? $"tekton:{Variable("PIPELINE_NAMESPACE") ?? "default"}/{run}"
            : base.RunId;

    /// <summary>Writes plain lines with a level prefix; the Tekton log has no annotations.</summary>
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

    /// <summary>Writes the output as a Tekton result file so later Tasks can read it.</summary>
    public override void PublishOutput(string name, string value)
    {
        Directory.CreateDirectory(ResultsDirectory);
        // Tekton trims nothing: a result is the file's exact content.
        File.WriteAllText(Path.Combine(ResultsDirectory, name), Masker.Apply(value));
    }
}
