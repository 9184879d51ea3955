using Pipelines.Workspace;
using Pipelines.Hosts;
using Pipelines.Signing;
using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>GenerateKey: a cosign key pair for Sign and the cluster's admission policy.</summary>
public interface IGenerateKey : ISigningKeys
{
    [Parameter("Where GenerateKey writes cosign.key and cosign.pub")]
    string OutputDir => ValueOf(() => OutputDir, WorkspaceLayout.Relative.Keys);

    /// <summary>Writes a cosign key pair.</summary>
    Target GenerateKey => _ => _
        .Description("Writes a cosign key pair (cosign.key encrypted with --signing-key-password, cosign.pub) into --output-dir")
        .Executes(async ctx =>
        {
            var files = await new CosignKeyPairWriter(ctx.Log).WriteAsync(Path.Combine(RootDirectory, OutputDir), SigningPassword(), ctx.CancellationToken);
            ctx.Note("Public key", files.PublicKeyPath);
        });
}
