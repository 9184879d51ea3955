using Pipelines.Workspace;
namespace Pipelines.Signing;

/// <summary>Where a generated key pair was written.</summary>
/// <param name="PrivateKeyPath">The encrypted <c>cosign.key</c>.</param>
/// <param name="PublicKeyPath"><c>cosign.pub</c>.</param>
/// <param name="Fingerprint">The public key's <c>sha256:</c> fingerprint.</param>
internal sealed record KeyPairFiles(string PrivateKeyPath, string PublicKeyPath, string Fingerprint);
