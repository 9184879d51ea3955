using Pipelines.Oci;

namespace Pipelines.GitOps;

/// <summary>What the gate found: the image may be deployed, and why.</summary>
internal sealed record DeployClearance(ImageReference Image, string Signature, string Scan);
