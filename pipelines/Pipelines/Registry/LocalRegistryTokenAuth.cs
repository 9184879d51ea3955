namespace Pipelines.Registry;

/// <summary>
/// The registry's <c>auth: token</c> section: it sends clients to <paramref name="Realm"/> for a JWT signed by
/// a key whose certificate is in <paramref name="RootCertBundlePath"/> (PEM), issued by <paramref name="Issuer"/> for <paramref name="Service"/>.
/// </summary>
internal sealed record LocalRegistryTokenAuth(string Realm, string Service, string Issuer, string RootCertBundlePath);
