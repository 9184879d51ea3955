namespace Pipelines.Scanning;

/// <summary>How a containerised Trivy run ended: its exit code and what it printed on each stream.</summary>
internal sealed record TrivyContainerResult(int ExitCode, string StandardOutput, string StandardError);
