namespace Pipelines.Docker;

/// <summary>A container's output, split by stream.</summary>
public sealed record ContainerLogs(string StandardOutput, string StandardError);
