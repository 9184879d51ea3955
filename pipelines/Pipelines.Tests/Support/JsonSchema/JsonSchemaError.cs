namespace Pipelines.Tests.Support.JsonSchema;

/// <summary>One reason an instance does not satisfy a schema.</summary>
/// <param name="InstancePath">JSON pointer (RFC 6901) to the offending value; empty for the document itself.</param>
/// <param name="SchemaPath">JSON pointer, inside the schema, of the keyword that failed (after following <c>$ref</c>s).</param>
/// <param name="Message">What is wrong, in words.</param>
public sealed record JsonSchemaError(string InstancePath, string SchemaPath, string Message)
{
    /// <summary>"<c>/spec/replicas: expected integer, found string</c>", for test output.</summary>
    public override string ToString() => $"{(InstancePath.Length == 0 ? "(root)" : InstancePath)}: {Message}";
}
