namespace Pipelines.Generators;

/// <summary>
/// One input of a manually started workflow (<c>workflow_dispatch</c>): GitHub shows it in the "Run workflow" form and
/// the job receives it as the environment variable of <see cref="Parameter"/>, never spliced into a shell line.
/// </summary>
/// <param name="Name">The input's id (<c>${{ inputs.&lt;Name&gt; }}</c>).</param>
/// <param name="Parameter">The build parameter (member name) the input sets, e.g. <c>From</c> or <c>Environment</c>.</param>
/// <param name="Description">What the form says next to the input.</param>
public sealed record WorkflowInput(string Name, string Parameter, string Description)
{
    /// <summary>The choices of a <c>choice</c> input; empty with <see cref="Environments"/> false: a free-text string.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>A <c>choice</c> of the build's environments (the default of <c>--environments</c>), so a typo cannot be dispatched.</summary>
    public bool Environments { get; init; }

    /// <summary>The preselected value; null: the option at <see cref="DefaultOption"/>.</summary>
    public string? Default { get; init; }

    /// <summary>
    /// The position (0: the first) of the option preselected when <see cref="Default"/> is null: promote's <c>to</c> takes 1,
    /// so the form never preselects the environment it promotes from.
    /// </summary>
    public int DefaultOption { get; init; }
}
