using Pipelines.Hosts;
using Pipelines.Containers;
using Pipelines.Targets;
using Pipelines.Oci;
using Pipelines.Workspace;
using Pipelines.Logging;

namespace Pipelines.Components;

/// <summary>Promote: what runs in one environment deployed to the next, through Deploy's gate, in one commit.</summary>
public interface IPromote : IDeploy
{
    [Parameter("Promote: the environment whose deployed digest is promoted to --environment")]
    string? From => ValueOf(() => From, null);

    /// <summary>Promoting an environment to itself would re-deploy what runs there under a promotion's name: refused before anything runs.</summary>
    internal Task DistinctEnvironmentsAsync(CancellationToken cancellationToken) =>
        string.Equals(From, Environment, StringComparison.OrdinalIgnoreCase)
            ? throw new PipelineException($"--from {From} and --environment {Environment} name the same environment: a promotion deploys what runs in one environment to another; give --environment the next one (e.g. --from staging --environment prod).")
            : Task.CompletedTask;

    /// <summary>Deploys what runs in another environment.</summary>
    Target Promote => _ => _
        .Requires(() => From)
        .Requires(DistinctEnvironmentsAsync)
        .Requires(DeployConfigurationAsync)
        .Requires(ManifestsFoldersAsync)
        .Description("Deploys the digests each service runs in --from to --environment, through the same signature and scan policy, in one commit")
        .Produces("DEPLOY_COMMIT", "DEPLOY_ENVIRONMENT")
        .Executes(async ctx =>
        {
            var repository = await ManifestsAsync(ctx.CancellationToken);
            // Every service's running digest, read from one clone of the manifests.
            var deployed = await repository.ReadDeployedAsync(SelectedServices.Select(s => (PathFor(s, From!), ManifestsImageOf(s))).ToList(), ctx.CancellationToken);
            var images = SelectedServices.Zip(deployed, (service, update) => (service, ImageReference.Parse(update.Reference))).ToList();
            foreach (var (service, image) in images) ctx.Log.Info($"{From} runs {image}{(images.Count == 1 ? "" : $" ({service.Name})")}.");
            var source = await new SourceRevisionReader(ctx.Log).ReadAsync(RootDirectory, ctx.CancellationToken);
            var outcome = await DeployImagesAsync(images, source?.Commit, ctx);
            ctx.Publish("DEPLOY_COMMIT", outcome.Revision.Commit);
            ctx.Publish("DEPLOY_ENVIRONMENT", Environment);
        });
}
