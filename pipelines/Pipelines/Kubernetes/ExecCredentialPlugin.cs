namespace Pipelines.Kubernetes;

/// <summary>An <c>exec</c> credential plugin of a kubeconfig user (client.authentication.k8s.io).</summary>
internal sealed record ExecCredentialPlugin(string Command, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string ApiVersion);
