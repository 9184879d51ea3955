namespace Pipelines.Docker;

/// <summary>A container's output, split by stream.</summary>
internal sealed record ContainerLogs(string StandardOutput, string StandardError);
