namespace Pipelines.Hosts;

/// <summary>How a target ended, for the summary and the exit code.</summary>
internal enum TargetStatus
{
    /// <summary>The target ran and finished without error.</summary>
    Succeeded,
    /// <summary>The target ran and threw.</summary>
    Failed,
    /// <summary>A condition or <c>--skip</c> kept the target from running.</summary>
    Skipped,
    /// <summary>An earlier failure stopped the build before this target.</summary>
    NotRun,
}
