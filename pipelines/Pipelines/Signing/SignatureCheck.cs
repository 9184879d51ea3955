namespace Pipelines.Signing;

/// <summary>One signature layer of the <c>.sig</c> manifest and what the verifier concluded.</summary>
/// <param name="Index">Layer position, from 0.</param>
/// <param name="LayerDigest">The payload blob digest.</param>
/// <param name="Outcome">Verified, or why not.</param>
/// <param name="Reason">The outcome in words, for the log.</param>
internal sealed record SignatureCheck(int Index, string LayerDigest, CheckOutcome Outcome, string Reason)
{
    /// <summary>True when a signature was found and verified.</summary>
    public bool Verified => Outcome == CheckOutcome.Verified;
}
