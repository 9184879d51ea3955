namespace Pipelines.Kubernetes;

/// <summary>
/// Where a Kubernetes API server is and how to authenticate to it, resolved from a kubeconfig
/// context or from the pod's service account.
/// </summary>
public sealed record KubeEndpoint
{
    public required Uri Server { get; init; }
    public string? Namespace { get; init; }
    /// <summary>PEM of the CA that signs the server's certificate; null: the system's roots.</summary>
    public string? CertificateAuthorityPem { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }
    public string? Token { get; init; }
    /// <summary>Re-read on each request: projected service-account tokens rotate.</summary>
    public string? TokenFile { get; init; }
    public string? ClientCertificatePem { get; init; }
    public string? ClientKeyPem { get; init; }
    public ExecCredentialPlugin? Exec { get; init; }
    /// <summary>Where this came from, for error messages: "context prod in ~/.kube/config".</summary>
    public required string Source { get; init; }
}
