namespace Pipelines.GitHub;

/// <summary>The state of a commit status, as GitHub shows it beside the commit.</summary>
internal enum CommitState
{
    /// <summary>The check is running.</summary>
    Pending,
    /// <summary>The check passed.</summary>
    Success,
    /// <summary>The check found a problem.</summary>
    Failure,
    /// <summary>The check itself could not complete.</summary>
    Error,
}
