namespace Pipelines.Generators;

/// <summary>
/// Third-party actions pinned to full commit SHAs (a tag can be moved; a SHA cannot), with the release
/// each SHA is in the trailing comment. Update SHA and comment together, e.g. with Dependabot or Renovate.
/// </summary>
internal static class GitHubActionPins
{
    /// <summary>Checks out the repository, pinned to a commit so a moved tag cannot change the workflow.</summary>
    public static readonly CommentedValue Checkout = new("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2");
    /// <summary>Installs the .NET SDK, pinned to a commit so a moved tag cannot change the workflow.</summary>
    public static readonly CommentedValue SetupDotNet = new("actions/setup-dotnet@67a3573c9a986a3f9c594539f4ab511d57bb3ce9", "v4.3.1");
    /// <summary>Restores and saves caches, pinned to a commit so a moved tag cannot change the workflow.</summary>
    public static readonly CommentedValue Cache = new("actions/cache@1bd1e32a3bdc45362d1e726936510720a7c30a57", "v4.2.0");
    /// <summary>
    /// Uploads SARIF to code scanning, pinned to a commit so a moved tag cannot change the workflow: the commit of
    /// github/codeql-action's tag v4.36.2 (the current major, v4 — v3 is deprecated in December 2026; runs on node24).
    /// </summary>
    public static readonly CommentedValue UploadSarif = new("github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e", "v4.36.2");

    /// <summary>Every pinned action, so tests and reviews can check each pin in one place.</summary>
    public static IReadOnlyList<CommentedValue> All => [Checkout, SetupDotNet, Cache, UploadSarif];
}
