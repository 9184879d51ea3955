namespace Pipelines.Generators;

/// <summary>A scalar followed by a trailing comment: <c>uses: actions/checkout@&lt;sha&gt; # v4.2.2</c>.</summary>
internal sealed record CommentedValue(string Value, string Comment);
