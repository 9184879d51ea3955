namespace Pipelines.Kubernetes;

/// <summary>
/// Where a Kubernetes API server is and how to authenticate to it, resolved from a kubeconfig
/// context or from the pod's service account.
/// </summary>
internal sealed record KubeEndpoint
{
    /// <summary>The API server's URL.</summary>
    public required Uri Server { get; init; }
    /// <summary>The context's default namespace; null: the caller names one.</summary>
    public string? Namespace { get; init; }
    /// <summary>PEM of the CA that signs the server's certificate; null: the system's roots.</summary>
    public string? CertificateAuthorityPem { get; init; }
    /// <summary>Accept any server certificate, as the kubeconfig asks (never the default).</summary>
    public bool InsecureSkipTlsVerify { get; init; }
    /// <summary>A bearer token; a secret.</summary>
    public string? Token { get; init; }
    /// <summary>Re-read on each request: projected service-account tokens rotate.</summary>
    public string? TokenFile { get; init; }
    /// <summary>The client certificate for mutual TLS, as PEM.</summary>
    public string? ClientCertificatePem { get; init; }
    /// <summary>The client certificate's private key, as PEM; a secret.</summary>
    public string? ClientKeyPem { get; init; }
    /// <summary>A credential plugin to run for a token; null when the context has none.</summary>
    public ExecCredentialPlugin? Exec { get; init; }
    /// <summary>Where this came from, for error messages: "context prod in ~/.kube/config".</summary>
    public required string Source { get; init; }
}
